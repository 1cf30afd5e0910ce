package dev.urae.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Softmax attention through PyTorch's fused {@code scaled_dot_product_attention}, which DJL 0.36
 * does not expose. The operator is reached through tiny TorchScript modules
 * ({@code fused-attention.pt} and {@code biased-attention.pt}, written by
 * {@code model/scripts/torch_ops.py} and shipped as resources); autograd records through them,
 * so the backward pass is PyTorch's fused one too.
 *
 * <p>Why: explicit attention keeps an N×N score matrix per head for the backward pass (FLUX at
 * 2K: ~16.9k tokens, 27 GB per block in fp32); the fused kernels keep O(N) per head, and on CPU
 * they are faster even where the scores fit (T5 at 512 tokens).
 */
public final class FusedAttention {
  private static final String UNBIASED = "fused-attention.pt";
  private static final String UNBIASED_BF16 = "fused-attention-bf16.pt";
  private static final String BIASED = "biased-attention.pt";
  private static final String BIASED_BF16 = "biased-attention-bf16.pt";

  private FusedAttention() {}

  /**
   * Attention of roped {@code qk [B, N, 2, H, D]} (queries first, softmax scale already folded
   * into the queries) over {@code v [B, N, H, D]}; returns {@code [B, N, H·D]} in {@code qk}'s
   * manager. Differentiable in both inputs.
   */
  public static NDArray attend(NDArray qk, NDArray v) {
    return run(Unbiased.MODULE, new NDList(qk, v));
  }

  /**
   * {@link #attend(NDArray, NDArray)} computed in bf16 (bf16 mixed precision): float32 {@code qk}
   * and {@code v} are cast to bf16 inside the scripted call, the fused kernel runs and saves its
   * q, k, v and output in bf16, and the result and both gradients come back float32.
   */
  public static NDArray attendBf16(NDArray qk, NDArray v) {
    return run(UnbiasedBf16.MODULE, new NDList(qk, v));
  }

  /**
   * Unscaled attention of {@code q} over {@code k}, {@code v} (all {@code [B, N, H, D]}) with
   * {@code bias [1 or B, H, N, N]} added to the scores before the softmax, as T5 computes it;
   * returns {@code [B, N, H·D]} in {@code q}'s manager. Differentiable in every input.
   */
  public static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias) {
    return run(Biased.MODULE, new NDList(q, k, v, bias));
  }

  /** {@link #attend(NDArray, NDArray, NDArray, NDArray)} computed in bf16, float32 in and out, as {@link #attendBf16(NDArray, NDArray)}. */
  public static NDArray attendBf16(NDArray q, NDArray k, NDArray v, NDArray bias) {
    return run(BiasedBf16.MODULE, new NDList(q, k, v, bias));
  }

  private static NDArray run(ScriptedModule module, NDList inputs) {
    return module.forward(inputs).singletonOrThrow();
  }

  /** Each module loads once per JVM, on first use. */
  private static final class Unbiased {
    static final ScriptedModule MODULE = ScriptedModule.load(FusedAttention.class, UNBIASED);
  }

  private static final class UnbiasedBf16 {
    static final ScriptedModule MODULE = ScriptedModule.load(FusedAttention.class, UNBIASED_BF16);
  }

  private static final class Biased {
    static final ScriptedModule MODULE = ScriptedModule.load(FusedAttention.class, BIASED);
  }

  private static final class BiasedBf16 {
    static final ScriptedModule MODULE = ScriptedModule.load(FusedAttention.class, BIASED_BF16);
  }
}
