package dev.urae.batch.stages;

import ai.djl.ndarray.NDManager;
import dev.urae.model.demo.DemoBaseModel;
import dev.urae.model.demo.DemoWorld;
import java.io.IOException;

/**
 * Loads the base model a run names, and names its weights. Only {@code demo} runs on a CPU;
 * FLUX.1-dev needs its weights and a GPU worker, which this build does not ship.
 *
 * <p>The orchestrator records the weights' digest in the run configuration ({@link #WEIGHTS}),
 * so new weights make a new run, and a worker refuses to work with other weights than the run
 * was launched with (a worker image of another build than the orchestrator's).
 */
public final class BaseModels {
  /** Run option holding the base model's weights digest; set at launch, never by users. */
  public static final String WEIGHTS = "model.weights";
  private static final String UNKNOWN_YET = "pretrained-on-first-use";
  private static final int FLUX_NATIVE_IMAGE_TOKENS = 64 * 64;

  private BaseModels() {}

  /** The weights {@code name} resolves to here: {@code sha256:<hex>}, or pretrained-on-first-use. */
  public static String weightsDigest(String name) throws IOException {
    requireSupported(name);
    return DemoBaseModel.defaultWeightsDigest(DemoBaseModel.defaultCacheFolder());
  }

  /**
   * The base model's training length for proportional attention: its text tokens plus its image
   * tokens at its native resolution (demo: 292; FLUX.1: 512 + 64·64 = 4,608).
   */
  public static int trainSeqLen(String name) {
    return name.equals("demo") ? DemoWorld.TRAIN_SEQ_LEN : 512 + FLUX_NATIVE_IMAGE_TOKENS;
  }

  /** Image tokens at the base model's native resolution (demo: 16·16 at 32 px; FLUX.1: 64·64 at 1024 px). */
  public static int nativeImageTokens(String name) {
    return name.equals("demo") ? (DemoWorld.LOW_RESOLUTION / 2) * (DemoWorld.LOW_RESOLUTION / 2) : FLUX_NATIVE_IMAGE_TOKENS;
  }

  public static DemoBaseModel load(StageParams params, NDManager manager) throws IOException {
    String name = params.text(PipelineOptions.MODEL);
    String expected = params.recorded(WEIGHTS);
    String actual = weightsDigest(name);
    if (expected != null && !expected.equals(UNKNOWN_YET) && !expected.equals(actual)) {
      throw new IllegalStateException("the " + name + " base model here has weights " + actual + " but the run was launched with "
          + expected + ": the worker and the orchestrator are different builds; run workers of the orchestrator's version");
    }
    return DemoBaseModel.loadDefault(DemoBaseModel.defaultCacheFolder(), manager, System.err);
  }

  private static void requireSupported(String name) {
    if (!name.equals("demo")) {
      throw new IllegalArgumentException("pipeline option model must be 'demo' in this build, got '" + name
          + "' (FLUX.1-dev needs its weights and a GPU worker)");
    }
  }
}
