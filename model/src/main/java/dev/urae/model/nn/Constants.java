package dev.urae.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multiplication by a constant that is safe under autograd. DJL's {@code x.mul(Number)} wraps
 * the constant in a tensor over a Java direct buffer and closes it right after the operation,
 * but PyTorch's autograd keeps that tensor for the backward pass; once the garbage collector
 * frees the buffer, the backward reads freed memory. Gradients then came out NaN, or silently
 * wrong, a few times per thousand training steps. Here the constant is allocated by PyTorch in
 * {@code x}'s manager, so it lives at least as long as the graph that uses it.
 */
public final class Constants {
  private Constants() {}

  /** {@code x·c}, differentiable in {@code x}. */
  public static NDArray times(NDArray x, float c) {
    return x.mul(x.getManager().full(new Shape(1), c));
  }
}
