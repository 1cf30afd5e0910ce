package dev.urae.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Root-mean-square normalisation over the last axis with a learned scale, as FLUX applies per
 * attention head to q and k: {@code x / sqrt(mean(x²) + eps) · weight}.
 */
public final class RmsNorm {
  private final NDManager manager;
  private final int dim;
  private final float eps;
  private NDArray weight;

  /** A norm over {@code dim} features with scale initialised to one. */
  public RmsNorm(NDManager manager, int dim, float eps) {
    this.manager = manager;
    this.dim = dim;
    this.eps = eps;
    this.weight = manager.ones(new Shape(dim), DataType.FLOAT32);
    NDScope.unregister(weight);
  }

  /** Normalises {@code x [..., dim]}. */
  public NDArray forward(NDArray x) {
    return normalize(x, eps).mul(weight);
  }

  /** {@code x / sqrt(mean(x²) + eps)} over the last axis, without a scale. */
  public static NDArray normalize(NDArray x, float eps) {
    return x.div(x.square().mean(new int[] {-1}, true).add(eps).sqrt());
  }

  /** The scale {@code [dim]}; read-only. */
  public NDArray weight() {
    return weight;
  }

  /**
   * Replaces the scale, keeping its dtype (a bf16 scale multiplies a float32 input to float32);
   * the array moves to this norm's manager and the old one is closed.
   */
  public void setWeight(NDArray value) {
    if (!value.getShape().equals(new Shape(dim))) {
      throw new IllegalArgumentException("weight must have shape (" + dim + "), got " + value.getShape());
    }
    NDArray previous = weight;
    weight = value;
    if (weight.hasGradient()) weight = weight.stopGradient();
    weight.attach(manager);
    NDScope.unregister(weight);
    if (previous != value) previous.close();
  }

  /** The epsilon added to the mean square. */
  public float eps() {
    return eps;
  }
}
