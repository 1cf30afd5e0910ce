package dev.urae.model.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.urae.model.base.BaseModel;
import dev.urae.model.base.BaseModelProvider;
import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.checkpoint.CheckpointDigest;
import dev.urae.model.checkpoint.CheckpointException;
import dev.urae.model.checkpoint.CheckpointLayout;
import dev.urae.model.checkpoint.CheckpointProblem;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.component.ConfigJson;
import dev.urae.model.flux.FluxConfig;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.text.FluxTextEncoder;
import dev.urae.model.vae.AutoencoderKl;
import dev.urae.model.vae.VaeConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A FLUX.1 base model in a local checkpoint folder (the diffusers layout, or BFL's transformer
 * file and {@code ae.safetensors} beside diffusers text encoders and tokenizers): checked complete from headers and
 * configs when opened (every problem listed at once), its facts known before loading (pixel
 * grid, guidance input, native resolution, weights digest), loaded onto the device of the
 * manager it is given.
 *
 * <p>The native resolution is the VAE config's {@code sample_size} (FLUX.1: 1024, the size its
 * transformer was trained at; {@code urae model init} writes the preset's own, 64 for tiny),
 * 1024 when absent.
 */
public final class FluxBaseModelProvider implements BaseModelProvider {
  /** The components a FLUX.1 pipeline needs, in pipeline order, with what each is for. */
  private static final Map<String, String> REQUIRED = new LinkedHashMap<>();

  static {
    REQUIRED.put("transformer", "the FLUX transformer");
    REQUIRED.put("text_encoder", "the CLIP-L text encoder");
    REQUIRED.put("tokenizer", "the CLIP tokenizer");
    REQUIRED.put("text_encoder_2", "the T5 text encoder");
    REQUIRED.put("tokenizer_2", "the T5 tokenizer");
    REQUIRED.put("vae", "the VAE (AutoencoderKL)");
  }

  /** FLUX.1's native resolution, used when the VAE config has no {@code sample_size}. */
  static final int FLUX_NATIVE_RESOLUTION = 1024;
  /** The guidance FLUX.1-dev's pipeline renders with (schnell-like models take none: 0, as diffusers' examples set it). */
  static final double DEV_GUIDANCE = 3.5;

  private final String name;
  private final Checkpoint checkpoint;
  private final FluxConfig config;
  private final VaeConfig vae;
  private final int nativeResolution;
  private final int t5Tokens;
  private String digest;

  private FluxBaseModelProvider(String name, Checkpoint checkpoint, FluxConfig config, VaeConfig vae, int nativeResolution) {
    this.name = name;
    this.checkpoint = checkpoint;
    this.config = config;
    this.vae = vae;
    this.nativeResolution = nativeResolution;
    this.t5Tokens = FluxTextEncoder.t5Length(checkpoint);
  }

  /**
   * The model in {@code folder}, named {@code name} in runs.
   *
   * @throws CheckpointException listing every problem: those of {@link CheckpointInspection},
   *     missing components, text encoders or a VAE whose widths do not fit the transformer, a
   *     native resolution off the pixel grid
   */
  public static FluxBaseModelProvider open(String name, Path folder) throws CheckpointException {
    Checkpoint checkpoint = Checkpoint.read(folder);
    CheckpointInspection inspection = CheckpointInspection.of(checkpoint, null);
    List<CheckpointProblem> problems = new ArrayList<>(inspection.problems());
    if (checkpoint.layout() != null) {
      for (String component : REQUIRED.keySet()) {
        Path location = folder.resolve(component);
        // A component model_index.json names but that is not there is already a problem.
        if (!checkpoint.has(component) && problems.stream().noneMatch(p -> p.file().equals(location))) {
          problems.add(CheckpointProblem.of(location, "missing: " + REQUIRED.get(component) + " (component '" + component
              + "'); a FLUX.1 checkpoint needs " + String.join(", ", REQUIRED.keySet())
              + (checkpoint.layout() == CheckpointLayout.BFL_FOLDER ? " (the VAE may be BFL's ae.safetensors)" : "")));
        }
      }
    }
    FluxConfig config = inspection.transformerConfig();
    VaeConfig vae = null;
    int nativeResolution = FLUX_NATIVE_RESOLUTION;
    if (checkpoint.has("vae")) {
      Component c = checkpoint.components().get("vae");
      try {
        ConfigJson json = ConfigJson.of(c);
        vae = VaeConfig.from(json);
        nativeResolution = json.positive("sample_size", FLUX_NATIVE_RESOLUTION);
      } catch (IllegalArgumentException e) {
        // usually listed by the inspection already
        if (problems.stream().noneMatch(p -> p.problem().equals(e.getMessage()))) problems.add(CheckpointProblem.of(c.location(), e.getMessage()));
      }
    }
    if (config != null) fits(checkpoint, config, vae, nativeResolution, problems);
    if (!problems.isEmpty()) throw new CheckpointException(folder, problems);
    return new FluxBaseModelProvider(name, checkpoint, config, vae, nativeResolution);
  }

  /** The text encoders and the VAE must produce what the transformer reads. */
  private static void fits(Checkpoint checkpoint, FluxConfig config, VaeConfig vae, int nativeResolution, List<CheckpointProblem> problems) {
    Map<String, Component> c = checkpoint.components();
    if (vae != null && 4 * vae.latentChannels() != config.inChannels()) {
      problems.add(CheckpointProblem.of(c.get("vae").location(), "latent_channels " + vae.latentChannels() + " packed 2x2 gives "
          + 4 * vae.latentChannels() + " channels but the transformer's in_channels is " + config.inChannels()));
    }
    if (vae != null && nativeResolution % (2 * vae.downsampling()) != 0) {
      problems.add(CheckpointProblem.of(c.get("vae").location().resolve("config.json"), "sample_size " + nativeResolution
          + " is not a multiple of the pixel grid " + 2 * vae.downsampling() + " (downsampling x 2x2 packing)"));
    }
    width(c.get("text_encoder"), "hidden_size", config.pooledProjectionDim(), "pooled_projection_dim", problems);
    width(c.get("text_encoder_2"), "d_model", config.jointAttentionDim(), "joint_attention_dim", problems);
  }

  private static void width(Component encoder, String key, int expected, String transformerKey, List<CheckpointProblem> problems) {
    if (encoder == null) return;
    int found;
    try {
      found = ConfigJson.of(encoder).positive(key, -1);
    } catch (IllegalArgumentException e) {
      return; // listed by the inspection
    }
    if (found != -1 && found != expected) {
      problems.add(CheckpointProblem.of(encoder.location().resolve("config.json"), key + " " + found + " does not fit the transformer's "
          + transformerKey + " " + expected));
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** {@link CheckpointDigest} of the folder, computed once. */
  @Override
  public synchronized String weightsDigest() throws IOException {
    if (digest == null) digest = CheckpointDigest.of(checkpoint.path());
    return digest;
  }

  @Override
  public int pixelGrid() {
    return 2 * vae.downsampling();
  }

  @Override
  public boolean guidanceInput() {
    return config.guidanceEmbeds();
  }

  /** The side of the images the model was trained at: the VAE config's {@code sample_size}, else 1024. */
  public int nativeResolution() {
    return nativeResolution;
  }

  /** The transformer's configuration, from its config.json. */
  public FluxConfig config() {
    return config;
  }

  /** Loads every component onto the device of {@code manager}. */
  @Override
  public BaseModel load(NDManager manager, PrintStream progress) throws IOException {
    Device device = manager.getDevice();
    NDManager own = manager.newSubManager(device);
    try {
      progress.println("loading " + name + " onto " + device + " (" + config + ")");
      FluxTransformer transformer = FluxTransformer.load(checkpoint.component("transformer"), config, device, own);
      FluxTextEncoder text = FluxTextEncoder.load(checkpoint, t5Tokens, device, own);
      Component vaeComponent = checkpoint.component("vae");
      AutoencoderKl codec = AutoencoderKl.load(vaeComponent, device, own, "autoencoder-kl:" + CheckpointDigest.of(vaeComponent.location()));
      int imageTokens = (nativeResolution / pixelGrid()) * (nativeResolution / pixelGrid());
      return new FluxBaseModel(this, own, transformer, text, codec, t5Tokens + imageTokens, weightsDigest(),
          guidanceInput() ? DEV_GUIDANCE : 0);
    } catch (IOException | RuntimeException e) {
      own.close();
      throw e;
    }
  }
}
