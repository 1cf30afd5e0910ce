package dev.urae.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** The element-wise nonlinearities FLUX uses, written with as few tensor operations as possible. */
public final class Activations {
  private Activations() {}

  /** SiLU: {@code x·sigmoid(x)}. */
  public static NDArray silu(NDArray x) {
    return x.mul(x.getNDArrayInternal().sigmoid());
  }

  /**
   * GELU with the tanh approximation, {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}, as
   * PyTorch's one fused operator ({@code gelu-tanh.pt}, written by
   * {@code model/scripts/torch_ops.py}): it keeps only its input for the backward pass, where the
   * same function op by op from the JVM kept three MLP-wide intermediates (12 hidden widths per
   * token in a FLUX block) and created five.
   */
  public static NDArray geluTanh(NDArray x) {
    return GeluTanh.MODULE.forward(new NDList(x)).singletonOrThrow();
  }

  /** Loads once per JVM, on first use. */
  private static final class GeluTanh {
    static final ScriptedModule MODULE = ScriptedModule.load(Activations.class, "gelu-tanh.pt");
  }
}
