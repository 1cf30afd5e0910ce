package dev.urae.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Layer normalisation over the last axis without learned affine parameters (FLUX's
 * {@code elementwise_affine=False}, eps 1e-6). The engine's fused kernel wants a scale and a
 * shift, so constant ones and zeros are kept here.
 */
public final class LayerNorm {
  private final Shape normalizedShape;
  private final float eps;
  private final NDArray ones;
  private final NDArray zeros;

  /** A norm over {@code dim} features. */
  public LayerNorm(NDManager manager, int dim, float eps) {
    this.normalizedShape = new Shape(dim);
    this.eps = eps;
    this.ones = manager.ones(normalizedShape, DataType.FLOAT32);
    this.zeros = manager.zeros(normalizedShape, DataType.FLOAT32);
    NDScope.unregister(ones, zeros);
  }

  /** Normalises {@code x [..., dim]} to zero mean and unit variance. */
  public NDArray forward(NDArray x) {
    return x.getNDArrayInternal().layerNorm(x, normalizedShape, ones, zeros, eps).singletonOrThrow();
  }
}
