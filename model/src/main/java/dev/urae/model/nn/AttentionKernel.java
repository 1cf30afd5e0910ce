package dev.urae.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * How softmax attention is computed, on FLUX's layout: roped {@code qk [B, N, 2, H, D]} (queries
 * first, softmax scale already folded into the queries) over {@code v [B, N, H, D]}, giving
 * {@code [B, N, H·D]}. Both kernels compute the same function; {@link #FUSED} is the one to run,
 * {@link #EXPLICIT} is its test oracle.
 */
public enum AttentionKernel {
  /** PyTorch's fused {@code scaled_dot_product_attention} ({@link FusedAttention}): O(N) memory per head. */
  FUSED {
    @Override
    public NDArray attend(NDArray qk, NDArray v) {
      return FusedAttention.attend(qk, v);
    }
  },
  /** matmul, softmax, matmul on DJL operators: keeps the N×N scores of every head. */
  EXPLICIT {
    @Override
    public NDArray attend(NDArray qk, NDArray v) {
      Shape s = v.getShape();
      NDArray heads = qk.transpose(2, 0, 3, 1, 4); // [2, B, H, N, D]
      NDArray q = heads.get(0);
      NDArray kT = heads.get(1).transpose(0, 1, 3, 2);
      NDArray weights = q.matMul(kT).softmax(-1);
      NDArray out = weights.matMul(v.transpose(0, 2, 1, 3)); // [B, H, N, D]
      return out.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(1), s.get(2) * s.get(3));
    }
  };

  /** Attention of {@code qk} over {@code v}; the result lands in {@code qk}'s manager. */
  public abstract NDArray attend(NDArray qk, NDArray v);
}
