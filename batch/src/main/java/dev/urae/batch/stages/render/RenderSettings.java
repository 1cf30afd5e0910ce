package dev.urae.batch.stages.render;

import dev.urae.batch.stages.PipelineOptions;
import dev.urae.batch.stages.StageParams;
import dev.urae.model.base.Renderer;
import dev.urae.model.flow.TimeShift;
import dev.urae.model.flux.AttentionSettings;

/**
 * How renders are sampled: steps, guidance input, time shift, and the resolution knobs (NTK
 * factor, proportional attention, position interpolation), plus the optional coarse-to-fine mode.
 *
 * <p>{@code auto} values are URAE's for FLUX.1 (what its code runs at 2K and 4K: static shift 3.0,
 * NTK factor 10, proportional attention, no position interpolation) and the demo model's own
 * (dynamic shift, plain attention, position interpolation: see {@code DemoWorld.ATTENTION}).
 *
 * @param shift {@code dynamic} (FLUX's, by token count) or a positive number s
 */
record RenderSettings(int steps, double guidance, String shift, double ntkFactor, boolean proportionalAttention,
    boolean positionInterpolation, boolean coarseToFine, double coarseSigma) {

  RenderSettings {
    if (steps < 1) throw new IllegalArgumentException("pipeline option render.steps must be 1 or more, got " + steps);
    if (!(coarseSigma > 0 && coarseSigma < 1)) {
      throw new IllegalArgumentException("pipeline option render.coarse-sigma must be between 0 and 1, got " + coarseSigma);
    }
    if (!shift.equals("dynamic")) {
      try {
        if (!(Double.parseDouble(shift) > 0)) throw new NumberFormatException();
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("pipeline option render.shift must be 'dynamic' or a positive number, got '" + shift + "'");
      }
    }
  }

  /**
   * The run's render options; guidance {@code auto} is the base model's own default (3.5 for
   * guidance-distilled FLUX.1-dev and the demo model), position interpolation {@code auto} its own
   * choice ({@code BaseModel.interpolatesPositions}).
   */
  static RenderSettings from(StageParams params, String model, double guidanceDefault, boolean interpolatesPositions) {
    String guidance = params.text(PipelineOptions.RENDER_GUIDANCE);
    boolean flux = !model.equals("demo");
    return new RenderSettings(
        params.integer(PipelineOptions.RENDER_STEPS),
        guidance.equals("auto") ? guidanceDefault : params.number(PipelineOptions.RENDER_GUIDANCE),
        auto(params, PipelineOptions.RENDER_SHIFT) ? (flux ? "3.0" : "dynamic") : params.text(PipelineOptions.RENDER_SHIFT),
        auto(params, PipelineOptions.RENDER_NTK_FACTOR) ? (flux ? 10.0 : 1.0) : params.number(PipelineOptions.RENDER_NTK_FACTOR),
        params.flag(PipelineOptions.RENDER_PROPORTIONAL_ATTENTION, flux),
        params.flag(PipelineOptions.RENDER_POSITION_INTERPOLATION, interpolatesPositions),
        params.flag(PipelineOptions.RENDER_COARSE_TO_FINE),
        params.number(PipelineOptions.RENDER_COARSE_SIGMA));
  }

  private static boolean auto(StageParams params, String option) {
    return params.text(option).strip().equals("auto");
  }

  /**
   * The sampler's settings: steps, guidance, time shift and the attention knobs, with the base
   * model's own training length for proportional attention and its native image tokens for
   * position interpolation.
   */
  Renderer.Settings sampling(int modelTrainSeqLen, int modelNativeImageTokens) {
    return new Renderer.Settings(steps, guidance, this::timeShift, AttentionSettings.DEFAULT.withNtkFactor(ntkFactor)
        .withProportionalAttention(proportionalAttention, modelTrainSeqLen).withPositionInterpolation(positionInterpolation, modelNativeImageTokens));
  }

  private TimeShift timeShift(int imageTokens) {
    return shift.equals("dynamic") ? TimeShift.dynamic(imageTokens) : TimeShift.fixed(Double.parseDouble(shift));
  }
}
