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
 * does not expose. The operator is reached through a tiny TorchScript module
 * ({@code fused-attention.pt}, written by {@code model/scripts/torch_ops.py} and shipped as a
 * resource); autograd records through it, so the backward pass is PyTorch's fused one too.
 *
 * <p>Why: explicit attention keeps an N×N score matrix per head for the backward pass (FLUX at
 * 2K: ~16.9k tokens, 27 GB per block in fp32); the fused kernels keep O(N) per head.
 */
public final class FusedAttention {
  static final String RESOURCE = "fused-attention.pt";

  private FusedAttention() {}

  /**
   * Attention of roped {@code qk [B, N, 2, H, D]} (queries first, softmax scale already folded
   * into the queries) over {@code v [B, N, H, D]}; returns {@code [B, N, H·D]} in {@code qk}'s
   * manager. Differentiable in both inputs.
   */
  public static NDArray attend(NDArray qk, NDArray v) {
    // DJL runs a module under a no-grad guard unless told it trains: follow the thread's grad mode.
    return IValueUtils.forward(Module.INSTANCE, new NDList(qk, v), JniUtils.isGradMode()).singletonOrThrow();
  }

  /** Loads the module once per JVM, on first use, into a manager that lives as long as the JVM. */
  private static final class Module {
    static final PtSymbolBlock INSTANCE = load();

    private static PtSymbolBlock load() {
      PtNDManager manager = (PtNDManager) NDManager.newBaseManager("PyTorch");
      try (InputStream in = FusedAttention.class.getResourceAsStream(RESOURCE)) {
        if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the class path; run model/scripts/torch_ops.py");
        return JniUtils.loadModule(manager, in, true, false);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
    }
  }
}
