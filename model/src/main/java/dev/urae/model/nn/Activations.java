package dev.urae.model.nn;

import ai.djl.ndarray.NDArray;

/** The element-wise nonlinearities FLUX uses, written with as few tensor operations as possible. */
public final class Activations {
  /** sqrt(2/π), the constant of the tanh approximation of GELU. */
  private static final float GELU_C = (float) Math.sqrt(2.0 / Math.PI);

  private Activations() {}

  /** SiLU: {@code x·sigmoid(x)}. */
  public static NDArray silu(NDArray x) {
    return x.mul(x.getNDArrayInternal().sigmoid());
  }

  /**
   * GELU with the tanh approximation, {@code 0.5·x·(1 + tanh(c·(x + 0.044715·x³)))}, computed
   * through the identity {@code 0.5·(1 + tanh(z)) = sigmoid(2z)} to save operations.
   */
  public static NDArray geluTanh(NDArray x) {
    NDArray z = Constants.times(x.square(), 2f * GELU_C * 0.044715f).add(2f * GELU_C).mul(x);
    return x.mul(z.getNDArrayInternal().sigmoid());
  }
}
