package dev.urae.batch.stages;

import ai.djl.ndarray.NDManager;
import dev.urae.model.base.BaseModel;
import dev.urae.model.base.BaseModelProvider;
import dev.urae.model.base.GroundTruth;
import dev.urae.model.vae.AutoencoderKl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Loads the base model a run names (through the model's {@link dev.urae.model.base.BaseModels}:
 * {@code demo}, or the local folder of a FLUX.1 checkpoint), and names its weights. An {@code s3://} model is
 * a {@link RemoteCheckpoint}: staged into the instance's model cache, then loaded from there.
 *
 * <p>The orchestrator records the weights' digest in the run configuration ({@link #WEIGHTS}),
 * so new weights make a new run, and a worker refuses to work with other weights than the run
 * was launched with (a worker image of another build than the orchestrator's, or a checkpoint
 * uploaded again under the same prefix).
 */
public final class BaseModels {
  /** Run option holding the base model's weights digest; set at launch, never by users. */
  public static final String WEIGHTS = "model.weights";
  private static final String UNKNOWN_YET = "pretrained-on-first-use";

  private BaseModels() {}

  /**
   * The weights {@code name} resolves to here: {@code sha256:<hex>}, or pretrained-on-first-use.
   * For an {@code s3://} model, the digest of its listing, after checking its layout.
   */
  public static String weightsDigest(String name) throws IOException {
    if (RemoteCheckpoint.isRemote(name)) return RemoteCheckpoint.of(name).list().digest();
    return provider(name).weightsDigest();
  }

  /**
   * The provider of the local model {@code reference} names: a model name, or a local checkpoint.
   *
   * @throws IllegalArgumentException naming the {@code model} option and every problem
   */
  public static BaseModelProvider provider(String reference) {
    return dev.urae.model.base.BaseModels.provider(reference);
  }

  /**
   * How a run records {@code reference}: a model name or a remote prefix as it is, a local
   * checkpoint as its absolute path, so that workers started elsewhere find the same folder.
   */
  public static String recorded(String reference) {
    if (reference == null || RemoteCheckpoint.isRemote(reference) || dev.urae.model.base.BaseModels.names().contains(reference)) return reference;
    try {
      Path path = Path.of(reference);
      return Files.exists(path) ? path.toAbsolutePath().normalize().toString() : reference;
    } catch (InvalidPathException e) {
      return reference;
    }
  }

  /** The exact images of the prompts the model's world knows (the demo grammar's), if any; none for a remote checkpoint. */
  public static Optional<GroundTruth> groundTruth(String name) {
    if (RemoteCheckpoint.isRemote(name)) return Optional.empty();
    return provider(name).groundTruth();
  }

  /**
   * The model the run names as this machine reads it: an {@code s3://} model's staged folder
   * (staging it, as {@link #load} does), else the name itself (a preset or a local path).
   */
  public static String local(StageParams params) throws IOException {
    String name = params.text(PipelineOptions.MODEL);
    return RemoteCheckpoint.isRemote(name) ? RemoteCheckpoint.of(name).stage(params.recorded(WEIGHTS), System.getenv()).toString() : name;
  }

  /** The run's base model, its VAE (if it has one) tiled as {@link PipelineOptions#VAE_TILE} says. */
  public static BaseModel load(StageParams params, NDManager manager) throws IOException {
    String name = params.text(PipelineOptions.MODEL);
    String expected = params.recorded(WEIGHTS);
    BaseModel base;
    if (RemoteCheckpoint.isRemote(name)) {
      base = dev.urae.model.base.BaseModels.load(local(params), manager, System.err);
    } else {
      String actual = weightsDigest(name);
      if (expected != null && !expected.equals(UNKNOWN_YET) && !expected.equals(actual)) {
        throw new IllegalStateException("the " + name + " base model here has weights " + actual + " but the run was launched with "
            + expected + ": the worker and the orchestrator are different builds; run workers of the orchestrator's version");
      }
      base = provider(name).load(manager, System.err);
    }
    // The VAE tiles inside encode and decode, so every stage gets the run's tiling from here (a
    // pixel-space model has no VAE to tile).
    if (base.latentCodec() instanceof AutoencoderKl vae) vae.setTiling(PipelineOptions.vaeTiling(params.all()));
    return base;
  }
}
