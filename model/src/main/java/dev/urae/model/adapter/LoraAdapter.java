package dev.urae.model.adapter;

import ai.djl.ndarray.NDArray;
import dev.urae.model.nn.Constants;
import dev.urae.model.nn.LinearAdapter;
import java.util.List;

/**
 * One layer's LoRA: delta(x) = scale·(x·Aᵀ)·Bᵀ with A [r, in], B [out, r], scale = α/r. Both
 * matrices are trainable.
 */
public final class LoraAdapter implements LinearAdapter {
  private final NDArray a;
  private final NDArray b;
  private final float scale;

  LoraAdapter(NDArray a, NDArray b, float scale) {
    if (a.getShape().dimension() != 2 || b.getShape().dimension() != 2 || a.getShape().get(0) != b.getShape().get(1)) {
      throw new IllegalArgumentException("LoRA needs A [r, in] and B [out, r], got " + a.getShape() + " and " + b.getShape());
    }
    this.a = a;
    this.b = b;
    this.scale = scale;
    a.setRequiresGradient(true);
    b.setRequiresGradient(true);
  }

  @Override
  public NDArray delta(NDArray x) {
    NDArray y = LinearAdapter.lowRank(x, a, b);
    return scale == 1f ? y : Constants.times(y, scale);
  }

  @Override
  public List<NDArray> trainableParameters() {
    return List.of(a, b);
  }

  public NDArray a() {
    return a;
  }

  public NDArray b() {
    return b;
  }

  public float scale() {
    return scale;
  }

  public int rank() {
    return Math.toIntExact(a.getShape().get(0));
  }
}
