package dev.urae.model.flux;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.nn.RmsNorm;
import dev.urae.model.nn.Scoped;

/**
 * The attention arithmetic shared by both block kinds, on all heads at once (no per-head
 * loops). Queries and keys travel together as one {@code [B, N, 2, H, D]} tensor so that
 * RMSNorm and RoPE run once for both.
 */
final class Attention {
  static final float QK_NORM_EPS = 1e-6f;

  private Attention() {}

  /**
   * Splits a fused projection {@code [B, N, 3·H·D]} into normalised queries+keys
   * {@code [B, N, 2, H, D]} and values {@code [B, N, H, D]}. {@code qkScale} is the stacked
   * [2, 1, D] scale of norm_q (already multiplied by the softmax scale) and norm_k.
   */
  static NDList splitQkv(NDArray qkv, int heads, int headDim, NDArray qkScale) {
    Shape s = qkv.getShape();
    NDList parts = qkv.reshape(s.get(0), s.get(1), 3, heads, headDim).split(new long[] {2}, 2);
    // the squares and the unscaled norm go on return; only the scaled result stays
    NDArray qk = Scoped.runArray(() -> RmsNorm.normalize(parts.get(0), QK_NORM_EPS).mul(qkScale));
    NDArray v = parts.get(1).squeeze(2);
    return new NDList(qk, v);
  }

  /**
   * The stacked q/k RMSNorm scales {@code [2, 1, D]}; the softmax scale is folded into the
   * query's so the score matrix needs no extra multiplication.
   */
  static NDArray qkScale(RmsNorm normQ, RmsNorm normK, NDArray like, float softmaxScale) {
    NDArray q = normQ.weight().mul(softmaxScale);
    // Results of operations on weights land in the model's manager; move this one to the caller's.
    q.attach(like.getManager());
    return q.stack(normK.weight(), 0).expandDims(1);
  }
}
