package dev.urae.model.demo.study;

import dev.urae.model.demo.DemoBaseModel;
import dev.urae.model.demo.DemoWorld;

/**
 * What the study needs to know of the base model it runs on: its width (for the rank that
 * matches FLUX's r/d), whether it is guidance-distilled (a guidance input and a render guidance
 * above 1, like FLUX.1-dev's 3.5), the guidance it renders with, its native and target
 * resolutions, and the digest of its weights.
 */
public record BaseFacts(int width, boolean guidanceInput, double renderGuidance, int nativeResolution, int targetResolution, String weights) {
  /** FLUX.1-dev's adapter rank over its width: URAE's rank 16 on hidden 3,072. */
  public static final double FLUX_RANK_PER_WIDTH = 16.0 / 3072;

  public static BaseFacts of(DemoBaseModel base, String weights) {
    return new BaseFacts(base.transformer().config().innerDim(),
        base.transformer().config().guidanceEmbeds(), DemoBaseModel.GUIDANCE,
        DemoWorld.LOW_RESOLUTION, DemoWorld.HIGH_RESOLUTION, weights);
  }

  /** Guidance-distilled like FLUX.1-dev: a guidance input, and renders at a guidance above 1. */
  public boolean guidanceDistilled() {
    return guidanceInput && renderGuidance > 1;
  }

  /** The rank whose r/d is closest to FLUX's 16/3072 (at least 1). */
  public int fluxScaledRank() {
    return Math.max(1, (int) Math.round(width * FLUX_RANK_PER_WIDTH));
  }
}
