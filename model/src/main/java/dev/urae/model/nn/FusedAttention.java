package dev.urae.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

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
  private static final String BIASED = "biased-attention.pt";

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
   * Unscaled attention of {@code q} over {@code k}, {@code v} (all {@code [B, N, H, D]}) with
   * {@code bias [1 or B, H, N, N]} added to the scores before the softmax, as T5 computes it;
   * returns {@code [B, N, H·D]} in {@code q}'s manager. Differentiable in every input.
   */
  public static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias) {
    return run(Biased.MODULE, new NDList(q, k, v, bias));
  }

  private static NDArray run(PtSymbolBlock module, NDList inputs) {
    // DJL runs a module under a no-grad guard unless told it trains: follow the thread's grad mode.
    return IValueUtils.forward(module, inputs, JniUtils.isGradMode()).singletonOrThrow();
  }

  /** Each module loads once per JVM, on first use, into a manager that lives as long as the JVM. */
  private static final class Unbiased {
    static final PtSymbolBlock MODULE = load(UNBIASED);
  }

  private static final class Biased {
    static final PtSymbolBlock MODULE = load(BIASED);
  }

  private static PtSymbolBlock load(String resource) {
    PtNDManager manager = (PtNDManager) NDManager.newBaseManager("PyTorch");
    try (InputStream in = FusedAttention.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException(resource + " is missing from the class path; run model/scripts/torch_ops.py");
      return JniUtils.loadModule(manager, in, true, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
