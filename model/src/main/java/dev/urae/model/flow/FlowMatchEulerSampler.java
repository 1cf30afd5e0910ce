package dev.urae.model.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

/**
 * Euler integration of the flow from noise (σ = 1) to data (σ = 0):
 * {@code x ← x + (σ_next − σ)·v(x, σ)}. Deterministic: the same noise, schedule and model give
 * the same output. Each step runs in its own {@link NDScope}, so memory stays flat over steps.
 */
public final class FlowMatchEulerSampler {
  private final double[] sigmas;

  /** A sampler following {@code sigmas} (from {@link FlowMatchSchedule}). */
  public FlowMatchEulerSampler(double[] sigmas) {
    if (sigmas.length < 2) throw new IllegalArgumentException("sigmas needs at least two values");
    this.sigmas = sigmas.clone();
  }

  /** The schedule. */
  public double[] sigmas() {
    return sigmas.clone();
  }

  /**
   * Integrates from {@code noise}; returns a new array in {@code noise}'s manager. Call outside
   * any {@code GradientCollector}.
   */
  public NDArray sample(VelocityModel model, NDArray noise) {
    dev.urae.model.nn.Autograd.disableOnThisThread();
    NDManager owner = noise.getManager();
    NDArray x = noise.duplicate();
    for (int i = 0; i + 1 < sigmas.length; i++) {
      NDArray next;
      try (NDScope step = new NDScope()) {
        NDArray v = model.velocity(x, (float) sigmas[i]);
        next = x.add(v.mul((float) (sigmas[i + 1] - sigmas[i])));
        NDScope.unregister(next);
      }
      next.attach(owner);
      x.close();
      x = next;
    }
    return x;
  }
}
