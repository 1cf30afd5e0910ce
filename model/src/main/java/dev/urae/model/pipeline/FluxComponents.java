package dev.urae.model.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.component.ComponentConfig;
import dev.urae.model.component.ConfigJson;
import dev.urae.model.flux.FluxConfig;
import dev.urae.model.text.clip.ClipTextConfig;
import dev.urae.model.text.t5.T5Config;
import dev.urae.model.vae.VaeConfig;
import java.util.Optional;

/**
 * The text encoders and VAE that go with a FLUX transformer, and the configuration of a
 * checkpoint's component by its class. FLUX feeds T5's sequence features into
 * {@code joint_attention_dim}, CLIP's pooled output into {@code pooled_projection_dim}, and the
 * VAE's latents, packed 2×2, into {@code in_channels}: a transformer of FLUX.1's widths gets
 * FLUX.1's components, any other the tiny ones resized to fit.
 */
final class FluxComponents {
  private FluxComponents() {}

  static ClipTextConfig clip(FluxConfig t) {
    if (fluxSized(t)) return ClipTextConfig.FLUX_DEV;
    ClipTextConfig c = ClipTextConfig.TINY;
    int hidden = t.pooledProjectionDim();
    int heads = hidden % 2 == 0 ? 2 : 1;
    return new ClipTextConfig(c.vocabSize(), hidden, 2 * hidden, c.numLayers(), heads, c.maxPositions(), c.hiddenAct(), c.layerNormEps(),
        c.bosTokenId(), c.eosTokenId(), c.padTokenId(), hidden);
  }

  static T5Config t5(FluxConfig t) {
    if (fluxSized(t)) return T5Config.FLUX_DEV;
    T5Config c = T5Config.TINY;
    return new T5Config(c.vocabSize(), t.jointAttentionDim(), c.dKv(), c.dFf(), c.numLayers(), c.numHeads(),
        c.relativeAttentionNumBuckets(), c.relativeAttentionMaxDistance(), c.layerNormEpsilon());
  }

  static VaeConfig vae(FluxConfig t) {
    if (fluxSized(t)) return VaeConfig.FLUX_DEV;
    VaeConfig c = VaeConfig.TINY;
    return new VaeConfig(c.inChannels(), c.outChannels(), t.latentChannels(), c.blockOutChannels(), c.layersPerBlock(), c.normNumGroups(),
        c.scalingFactor(), c.shiftFactor(), c.useQuantConv(), c.usePostQuantConv(), c.midBlockAttention());
  }

  /** The configuration of a text encoder or VAE component, from its class and config.json; empty for other classes. */
  static Optional<ComponentConfig> of(Component c) {
    String cls = c.className().orElse("");
    ConfigJson json = ConfigJson.of(c.location().resolve("config.json").toString(), (ObjectNode) c.config());
    return switch (cls) {
      case "CLIPTextModel" -> Optional.of(ClipTextConfig.from(json));
      case "T5EncoderModel" -> Optional.of(T5Config.from(json));
      case "AutoencoderKL" -> Optional.of(VaeConfig.from(json));
      default -> Optional.empty();
    };
  }

  static boolean fluxSized(FluxConfig t) {
    return t.jointAttentionDim() == T5Config.FLUX_DEV.dModel() && t.pooledProjectionDim() == ClipTextConfig.FLUX_DEV.hiddenSize()
        && t.latentChannels() == VaeConfig.FLUX_DEV.latentChannels();
  }
}
