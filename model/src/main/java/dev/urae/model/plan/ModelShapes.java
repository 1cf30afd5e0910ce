package dev.urae.model.plan;

import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.checkpoint.CheckpointException;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.component.ConfigJson;
import dev.urae.model.flux.FluxConfig;
import dev.urae.model.flux.FluxConfigJson;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.vae.VaeConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the memory plan needs to know of a base model, from a preset name (no weights needed) or
 * from a checkpoint on disk (configs and tensor headers only, nothing loaded).
 *
 * @param vae null for the pixel-space demo models
 * @param textEncoderParameters T5 + CLIP for FLUX.1 (loaded on the device by the cache stage)
 * @param textTokens the text sequence the transformer sees (dev: 512, schnell: 256)
 */
public record ModelShapes(String name, FluxConfig transformer, VaeConfig vae, long textEncoderParameters, int textTokens) {
  /** T5 v1.1 XXL encoder (4,762,310,656) + CLIP-L text model (123,060,480). */
  static final long FLUX_TEXT_ENCODERS = 4_762_310_656L + 123_060_480L;

  /** A preset ({@code flux-dev}, {@code flux-schnell}, {@code demo}, {@code tiny}) or a checkpoint folder or file. */
  public static ModelShapes resolve(String presetOrPath) throws CheckpointException {
    if (FluxPresets.names().contains(presetOrPath)) {
      FluxConfig c = FluxPresets.byName(presetOrPath);
      return switch (presetOrPath) {
        case "flux-dev" -> new ModelShapes(presetOrPath, c, VaeConfig.FLUX_DEV, FLUX_TEXT_ENCODERS, 512);
        case "flux-schnell" -> new ModelShapes(presetOrPath, c, VaeConfig.FLUX_DEV, FLUX_TEXT_ENCODERS, 256);
        default -> new ModelShapes(presetOrPath, c, null, 0, 36);
      };
    }
    Path path = Path.of(presetOrPath);
    if (!Files.exists(path)) {
      throw new IllegalArgumentException("--model '" + presetOrPath + "' is neither a preset (" + String.join(", ", FluxPresets.names())
          + ") nor an existing checkpoint folder or file");
    }
    Checkpoint checkpoint = Checkpoint.open(path);
    Component transformer = checkpoint.component("transformer");
    FluxConfig config = FluxConfigJson.of(transformer, null);
    VaeConfig vae = null;
    if (checkpoint.has("vae")) {
      Component component = checkpoint.component("vae");
      vae = VaeConfig.from(ConfigJson.of(component.location().toString(), component.config()));
    }
    long text = 0;
    for (String name : new String[] {"text_encoder", "text_encoder_2"}) {
      if (checkpoint.has(name)) text += checkpoint.component(name).tensors().parameterCount();
    }
    int textTokens = config.guidanceEmbeds() ? 512 : 256;
    return new ModelShapes(path.getFileName().toString(), config, vae, text, textTokens);
  }
}
