package dev.urae.model.demo.study;

import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.demo.DemoAdaptation;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the study's arms from its settings and the base model's facts, so that every compared
 * arm shares the sample count, step budget and scoring. "Recipe" arms use the pipeline's standard
 * adaptation ({@link DemoAdaptation.Settings#standard()}: its adapter kind, rank and learning
 * rate); guideline 2's arms use the rank scaled to the base's width.
 */
public record StudyPlan(StudySettings settings, BaseFacts facts) {
  public List<Long> seeds() {
    List<Long> seeds = new ArrayList<>();
    for (long s = 0; s < settings.seeds(); s++) seeds.add(s);
    return seeds;
  }

  /** The seed of guideline 2's learning-rate sweep: not one of the compared seeds, so the choice is not fitted to them. */
  public long sweepSeed() {
    return settings.seeds();
  }

  public ArmSpec base(long seed) {
    return ArmSpec.base(seed, settings.evalImages(), facts.renderGuidance());
  }

  /** The pipeline's standard adaptation on a mix of teacher images (share p, error level δ) and photographs. */
  public ArmSpec recipe(long seed, double syntheticShare, double teacherError, double trainGuidance) {
    DemoAdaptation.Settings standard = DemoAdaptation.Settings.standard();
    return adapted(seed, standard.kind(), standard.rank(), standard.training().learningRate(), trainGuidance, syntheticShare, teacherError);
  }

  /** The pipeline's standard adaptation with its own guidance input (URAE: 1.0). */
  public ArmSpec recipe(long seed, double syntheticShare, double teacherError) {
    return recipe(seed, syntheticShare, teacherError, DemoAdaptation.Settings.standard().training().guidance());
  }

  /** An adapter of {@code kind} at the width-scaled rank. */
  public ArmSpec scaled(long seed, AdapterKind kind, double learningRate, double syntheticShare, double teacherError) {
    return adapted(seed, kind, facts.fluxScaledRank(), learningRate, DemoAdaptation.Settings.standard().training().guidance(), syntheticShare, teacherError);
  }

  private ArmSpec adapted(long seed, AdapterKind kind, int rank, double learningRate, double trainGuidance, double syntheticShare, double teacherError) {
    return new ArmSpec(seed, kind, rank, learningRate, trainGuidance, syntheticShare, syntheticShare == 0 ? 0 : teacherError, settings.scenes(),
        settings.steps(), settings.evalEvery(), settings.evalImages(), facts.renderGuidance());
  }

  /** One arm per seed. */
  public List<ArmSpec> perSeed(java.util.function.LongFunction<ArmSpec> arm) {
    return seeds().stream().map(arm::apply).toList();
  }
}
