package dev.urae.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * How softmax attention is computed: on FLUX's layout, roped {@code qk [B, N, 2, H, D]} (queries
 * first, softmax scale already folded into the queries) over {@code v [B, N, H, D]}; on T5's,
 * unscaled {@code q, k, v [B, N, H, D]} with an additive score bias. Both give
 * {@code [B, N, H·D]}. All kernels compute the same functions; {@link #FUSED} is the one to run,
 * {@link #FUSED_BF16} is it under bf16 mixed precision ({@link #under}), {@link #EXPLICIT} is their
 * test oracle.
 */
public enum AttentionKernel {
  /** PyTorch's fused {@code scaled_dot_product_attention} ({@link FusedAttention}): O(N) memory per head. */
  FUSED {
    @Override
    public NDArray attend(NDArray qk, NDArray v) {
      return FusedAttention.attend(qk, v);
    }

    @Override
    public NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias) {
      return FusedAttention.attend(q, k, v, bias);
    }
  },
  /**
   * {@link #FUSED} computed in bf16 ({@link FusedAttention#attendBf16}): float32 in and out,
   * gradients float32, q, k, v and the output saved in bf16. On a GPU the flash-attention kernels
   * run only in fp16/bf16; in float32 PyTorch falls back to slower ones.
   */
  FUSED_BF16 {
    @Override
    public NDArray attend(NDArray qk, NDArray v) {
      return FusedAttention.attendBf16(qk, v);
    }

    @Override
    public NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias) {
      return FusedAttention.attendBf16(q, k, v, bias);
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

    @Override
    public NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias) {
      Shape s = v.getShape();
      NDArray scores = q.transpose(0, 2, 1, 3).matMul(k.transpose(0, 2, 3, 1)); // [B, H, N, N]
      NDArray out = scores.add(bias).softmax(-1).matMul(v.transpose(0, 2, 1, 3)); // [B, H, N, D]
      return out.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(1), s.get(2) * s.get(3));
    }
  };

  /**
   * The kernel that runs under {@code precision}: {@link #FUSED} becomes {@link #FUSED_BF16} under
   * {@link Precision#BF16}; any other kernel (the explicit oracle, or bf16 chosen directly) stays.
   */
  public AttentionKernel under(Precision precision) {
    return this == FUSED && precision == Precision.BF16 ? FUSED_BF16 : this;
  }

  /** Attention of {@code qk} over {@code v}; the result lands in {@code qk}'s manager. */
  public abstract NDArray attend(NDArray qk, NDArray v);

  /**
   * Unscaled attention of {@code q} over {@code k}, {@code v} ({@code [B, N, H, D]}) with
   * {@code bias [1 or B, H, N, N]} added to the scores, as T5 computes it; the result lands in
   * {@code q}'s manager.
   */
  public abstract NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias);
}
