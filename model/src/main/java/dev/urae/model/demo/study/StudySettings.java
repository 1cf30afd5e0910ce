package dev.urae.model.demo.study;

import java.util.List;

/**
 * The study's budget: seeds per condition, training steps per arm (equal for every compared
 * arm), how often an arm is scored, training scenes per arm (equal sample counts), held-out
 * images per score, the synthetic shares of guideline 1, the learning rates of guideline 2's
 * sweep, and the good and poor teachers' error levels.
 */
public record StudySettings(String name, int seeds, int steps, int evalEvery, int scenes, int evalImages, List<Double> syntheticShares,
    List<Double> sweepRates, double goodTeacher, double poorTeacher) {
  public StudySettings {
    if (seeds < 1) throw new IllegalArgumentException("--seeds must be at least 1, was " + seeds);
    if (steps < 1 || evalEvery < 1 || scenes < 1 || evalImages < 1) {
      throw new IllegalArgumentException("steps, evalEvery, scenes and evalImages must be positive: " + steps + ", " + evalEvery + ", " + scenes + ", " + evalImages);
    }
    syntheticShares = List.copyOf(syntheticShares);
    sweepRates = List.copyOf(sweepRates);
    if (!syntheticShares.contains(0.0) || !syntheticShares.contains(1.0)) throw new IllegalArgumentException("the synthetic shares must include 0 and 1, got " + syntheticShares);
    if (sweepRates.isEmpty()) throw new IllegalArgumentException("the learning-rate sweep needs at least one rate");
    if (!(poorTeacher >= 0.5)) throw new IllegalArgumentException("the poor teacher's error level must be at least 0.5, was " + poorTeacher);
  }

  /** The full study: 3 seeds, 60 steps per arm on 96 scenes, p ∈ {0, ½, 1}, three learning rates per adapter kind. */
  public static StudySettings full() {
    return new StudySettings("full", 3, 60, 15, 96, 4, List.of(0.0, 0.5, 1.0), List.of(3e-4, 1e-3, 3e-3), 0.1, 0.6);
  }

  /** A smaller study in minutes: 3 seeds, 16 steps per arm on 32 scenes, p ∈ {0, 1}, two learning rates. */
  public static StudySettings quick() {
    return new StudySettings("quick", 3, 16, 8, 32, 2, List.of(0.0, 1.0), List.of(1e-3, 3e-3), 0.1, 0.6);
  }

  public StudySettings withSeeds(int seeds) {
    return new StudySettings(name, seeds, steps, evalEvery, scenes, evalImages, syntheticShares, sweepRates, goodTeacher, poorTeacher);
  }

  /** Another budget: steps per arm, scoring interval, scenes per arm, held-out prompts per score. */
  public StudySettings withBudget(int steps, int evalEvery, int scenes, int evalImages) {
    return new StudySettings(name, seeds, steps, evalEvery, scenes, evalImages, syntheticShares, sweepRates, goodTeacher, poorTeacher);
  }
}
