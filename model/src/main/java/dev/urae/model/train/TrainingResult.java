package dev.urae.model.train;

import java.util.List;

/**
 * What a run did, for the report: per-step loss and learning rate (the whole history,
 * checkpointed steps included after a resume), the step reached, whether a stop request ended
 * it early, and the throughput of this process's steps.
 */
public record TrainingResult(long step, List<Double> losses, List<Double> learningRates, boolean stopped, long resumedFrom, double seconds, double stepsPerSecond) {
  public TrainingResult {
    losses = List.copyOf(losses);
    learningRates = List.copyOf(learningRates);
  }

  /** Mean loss over the first {@code n} recorded steps. */
  public double meanLossOfFirst(int n) {
    return losses.subList(0, Math.min(n, losses.size())).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /** Mean loss over the last {@code n} recorded steps. */
  public double meanLossOfLast(int n) {
    return losses.subList(Math.max(0, losses.size() - n), losses.size()).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
