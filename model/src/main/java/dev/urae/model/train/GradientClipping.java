package dev.urae.model.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * Clipping by global L2 norm, as {@code torch.nn.utils.clip_grad_norm_} does, except that a
 * non-finite gradient is refused instead of passed on: one NaN reaching Prodigy makes its step
 * size d NaN for good (d = max(d, NaN)), so every later step would be lost too.
 */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * Scales all gradients in place by min(1, max/(norm + 1e-6)); returns the norm before clipping.
   *
   * @throws NonFiniteGradientException naming the first parameter whose gradient has a NaN or
   *     infinite entry, or whose squares overflow float32; nothing is scaled then
   */
  public static double clipGlobalNorm(Map<String, NDArray> gradients, double max) {
    double squares = 0;
    for (Map.Entry<String, NDArray> e : gradients.entrySet()) {
      float sum;
      try (NDArray s = e.getValue().square().sum()) {
        sum = s.getFloat();
      }
      if (!Float.isFinite(sum)) throw new NonFiniteGradientException(e.getKey());
      squares += sum;
    }
    double norm = Math.sqrt(squares);
    double coefficient = max / (norm + 1e-6);
    if (coefficient < 1) for (NDArray g : gradients.values()) g.muli((float) coefficient);
    return norm;
  }

  /** A gradient with a NaN or infinite entry (or one too large to square in float32). */
  public static final class NonFiniteGradientException extends RuntimeException {
    NonFiniteGradientException(String parameter) {
      super("the gradient of " + parameter + " is not finite");
    }
  }
}
