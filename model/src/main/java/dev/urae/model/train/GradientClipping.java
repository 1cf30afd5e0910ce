package dev.urae.model.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** Clipping by global L2 norm, as {@code torch.nn.utils.clip_grad_norm_} does. */
final class GradientClipping {
  private GradientClipping() {}

  /** Scales all gradients in place by min(1, max/(norm + 1e-6)); returns the norm before clipping. */
  static double clipGlobalNorm(Map<String, NDArray> gradients, double max) {
    double squares = 0;
    for (NDArray g : gradients.values()) {
      try (NDArray s = g.square().sum()) {
        squares += s.getFloat();
      }
    }
    double norm = Math.sqrt(squares);
    double coefficient = max / (norm + 1e-6);
    if (coefficient < 1) for (NDArray g : gradients.values()) g.muli((float) coefficient);
    return norm;
  }
}
