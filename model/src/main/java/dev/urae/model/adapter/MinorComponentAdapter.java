package dev.urae.model.adapter;

import ai.djl.ndarray.NDArray;
import dev.urae.model.nn.LinearAdapter;
import java.util.List;

/**
 * One layer's minor-component adapter: delta(x) = (x·aᵀ)·bᵀ with a [r, in] and b [out, r]
 * trainable, starting from a₀ = sqrt(S_r)·V_rᵀ and b₀ = U_r·sqrt(S_r) of the r smallest
 * singular triplets, while the layer's frozen weight is W − b₀·a₀. The initial pair is kept
 * because the diffusers export must undo it against the original weight.
 */
public final class MinorComponentAdapter implements LinearAdapter {
  private final NDArray a;
  private final NDArray b;
  private final NDArray a0;
  private final NDArray b0;

  MinorComponentAdapter(NDArray a, NDArray b, NDArray a0, NDArray b0) {
    if (!a.getShape().equals(a0.getShape()) || !b.getShape().equals(b0.getShape()) || a.getShape().get(0) != b.getShape().get(1)) {
      throw new IllegalArgumentException("minor components need a, a0 [r, in] and b, b0 [out, r], got "
          + a.getShape() + ", " + a0.getShape() + ", " + b.getShape() + ", " + b0.getShape());
    }
    this.a = a;
    this.b = b;
    this.a0 = a0;
    this.b0 = b0;
    a.setRequiresGradient(true);
    b.setRequiresGradient(true);
  }

  @Override
  public NDArray delta(NDArray x) {
    return LinearAdapter.lowRank(x, a, b);
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

  /** The initial a₀ (frozen). */
  public NDArray a0() {
    return a0;
  }

  /** The initial b₀ (frozen). */
  public NDArray b0() {
    return b0;
  }

  public int rank() {
    return Math.toIntExact(a.getShape().get(0));
  }
}
