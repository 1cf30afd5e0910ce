package dev.urae.model.flux;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Named configurations. {@code flux-dev} and {@code flux-schnell} are the published FLUX.1
 * shapes; {@code demo} is the embedded default base model (pixel space through the identity
 * codec: RGB packed 2×2 into 12 channels), small enough to train on two CPU cores;
 * {@code tiny} is smaller still, for tests.
 */
public final class FluxPresets {
  /** FLUX.1-dev: 11,901,408,320 parameters. */
  public static final FluxConfig FLUX_DEV =
      FluxConfig.builder()
          .optName("flux-dev")
          .setInChannels(64)
          .setNumLayers(19)
          .setNumSingleLayers(38)
          .setAttentionHeadDim(128)
          .setNumAttentionHeads(24)
          .setJointAttentionDim(4096)
          .setPooledProjectionDim(768)
          .optGuidanceEmbeds(true)
          .setAxesDimsRope(16, 56, 56)
          .build();

  /** FLUX.1-schnell: as dev without the guidance embedder, 11,891,178,560 parameters. */
  public static final FluxConfig FLUX_SCHNELL = FLUX_DEV.toBuilder().optName("flux-schnell").optGuidanceEmbeds(false).build();

  /**
   * The embedded default: hidden 128 (4 heads × 32), 2 double + 2 single blocks, text 64/64.
   * RoPE θ 36 instead of FLUX's 10,000: with 12 dimensions per image axis, θ 10,000 leaves one
   * frequency that tells apart positions of a 16-token grid (0.22 rad per token; the next are
   * 1 rad, which wraps, and 0.05), where FLUX's 56 dimensions give about ten on its 64-token
   * grid; θ 36 spreads the six frequencies from 1 to 0.05 rad per token. Pretraining with it
   * reached a lower loss at every noise level than with θ 10,000 (demo model README).
   */
  public static final FluxConfig DEMO =
      FluxConfig.builder()
          .optName("demo")
          .setInChannels(12)
          .setNumLayers(2)
          .setNumSingleLayers(2)
          .setAttentionHeadDim(32)
          .setNumAttentionHeads(4)
          .setJointAttentionDim(64)
          .setPooledProjectionDim(64)
          .optGuidanceEmbeds(true)
          .setAxesDimsRope(8, 12, 12)
          .optRopeTheta(36)
          .build();

  /** For tests: hidden 32 (2 heads × 16), 2 double + 2 single blocks, 16 packed channels. */
  public static final FluxConfig TINY =
      FluxConfig.builder()
          .optName("tiny")
          .setInChannels(16)
          .setNumLayers(2)
          .setNumSingleLayers(2)
          .setAttentionHeadDim(16)
          .setNumAttentionHeads(2)
          .setJointAttentionDim(24)
          .setPooledProjectionDim(20)
          .optGuidanceEmbeds(true)
          .setAxesDimsRope(4, 6, 6)
          .build();

  private static final Map<String, FluxConfig> BY_NAME = new LinkedHashMap<>();

  static {
    for (FluxConfig c : new FluxConfig[] {TINY, DEMO, FLUX_DEV, FLUX_SCHNELL}) BY_NAME.put(c.name(), c);
  }

  private FluxPresets() {}

  /** Preset names, smallest first. */
  public static Set<String> names() {
    return BY_NAME.keySet();
  }

  /** The preset called {@code name}; the error lists the known names. */
  public static FluxConfig byName(String name) {
    FluxConfig config = BY_NAME.get(name);
    if (config == null) {
      throw new IllegalArgumentException("unknown preset '" + name + "': use one of " + String.join(", ", BY_NAME.keySet()));
    }
    return config;
  }
}
