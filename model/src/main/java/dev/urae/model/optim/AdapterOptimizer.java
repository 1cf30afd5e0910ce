package dev.urae.model.optim;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * Updates adapter parameters in place from their gradients. Parameters are addressed by
 * stable names (the adapter's), so state can be saved and restored against a fresh model.
 * Call {@link #step} outside any {@code GradientCollector}.
 */
public interface AdapterOptimizer {
  /**
   * One update. {@code gradients} holds, for each parameter name, the gradient to use (already
   * clipped by the caller); every name must be present in both maps.
   */
  void step(Map<String, NDArray> parameters, Map<String, NDArray> gradients);

  /** The step size the last update used (AdamW: lr; Prodigy: d·lr, bias correction aside). */
  double learningRate();

  /** A snapshot of the full state. */
  OptimizerState state();

  /** Restores a snapshot taken from an optimizer of the same kind and settings. */
  void restore(OptimizerState state);
}
