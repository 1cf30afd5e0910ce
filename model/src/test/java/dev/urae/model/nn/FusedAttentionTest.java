package dev.urae.model.nn;

import static dev.urae.model.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.urae.model.flow.SeededRandom;
import org.junit.jupiter.api.Test;

/**
 * The committed TorchScript modules (written by torch 2.13) load in DJL's PyTorch 2.7.1 and
 * compute what the explicit matmul-softmax-matmul computes, forward and backward; the bf16
 * modules compute it within bf16 rounding.
 */
class FusedAttentionTest {

  @Test
  void fusedAttentionMatchesTheExplicitOracleForwardAndBackward() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given roped q/k with the scale folded in, 2 images, 77 tokens (not a multiple of any tile), 3 heads of 16
      SeededRandom random = SeededRandom.seeded(7);
      NDArray qk = random.gaussian(manager, new Shape(2, 77, 2, 3, 16));
      NDArray v = random.gaussian(manager, new Shape(2, 77, 3, 16));
      NDArray upstream = random.gaussian(manager, new Shape(2, 77, 48));

      // when both kernels run forward and backward under the same incoming gradient
      NDList fused = run(AttentionKernel.FUSED, qk, v, upstream);
      NDList explicit = run(AttentionKernel.EXPLICIT, qk, v, upstream);

      // then outputs and both gradients agree within 1e-4 relative
      assertClose("output", fused.get(0), explicit.get(0), 1e-4);
      assertClose("d qk", fused.get(1), explicit.get(1), 1e-4);
      assertClose("d v", fused.get(2), explicit.get(2), 1e-4);
    }
  }

  @Test
  void biasedAttentionMatchesTheExplicitOracleForwardAndBackward() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given unscaled q, k, v of 2 prompts, 77 tokens, 3 heads of 16, and one bias shared by both prompts
      SeededRandom random = SeededRandom.seeded(11);
      NDArray q = random.gaussian(manager, new Shape(2, 77, 3, 16));
      NDArray k = random.gaussian(manager, new Shape(2, 77, 3, 16));
      NDArray v = random.gaussian(manager, new Shape(2, 77, 3, 16));
      NDArray bias = random.gaussian(manager, new Shape(1, 3, 77, 77));
      NDArray upstream = random.gaussian(manager, new Shape(2, 77, 48));

      // when both kernels run forward and backward under the same incoming gradient
      NDList fused = runBiased(AttentionKernel.FUSED, q, k, v, bias, upstream);
      NDList explicit = runBiased(AttentionKernel.EXPLICIT, q, k, v, bias, upstream);

      // then outputs and the gradients of q, k and v agree within 1e-4 relative
      assertClose("output", fused.get(0), explicit.get(0), 1e-4);
      assertClose("d q", fused.get(1), explicit.get(1), 1e-4);
      assertClose("d k", fused.get(2), explicit.get(2), 1e-4);
      assertClose("d v", fused.get(3), explicit.get(3), 1e-4);
    }
  }

  @Test
  void bf16AttentionMatchesTheFloat32FusedKernelWithinBf16RoundingForwardAndBackward() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given FLUX-layout inputs as above, scaled like FLUX's (RMS-normed q/k, 1/sqrt(D) folded into q)
      SeededRandom random = SeededRandom.seeded(7);
      NDArray qk = random.gaussian(manager, new Shape(2, 77, 2, 3, 16)).mul(manager.create(new float[] {0.25f, 1f}).reshape(2, 1, 1));
      NDArray v = random.gaussian(manager, new Shape(2, 77, 3, 16));
      NDArray upstream = random.gaussian(manager, new Shape(2, 77, 48));

      // when the fused kernel runs in bf16 and in float32 under the same incoming gradient
      NDList bf16 = run(AttentionKernel.FUSED_BF16, qk, v, upstream);
      NDList fp32 = run(AttentionKernel.FUSED, qk, v, upstream);

      // then float32 results and gradients within bf16 rounding: 8 significant bits (2^-8 = 0.4% per rounding) on the
      // inputs, the scores and the output; measured worst 0.75% of the largest value (d v), bound 2%
      for (NDArray r : bf16) assertThat(r.getDataType()).isEqualTo(DataType.FLOAT32);
      assertClose("output", bf16.get(0), fp32.get(0), 0.02);
      assertClose("d qk", bf16.get(1), fp32.get(1), 0.02);
      assertClose("d v", bf16.get(2), fp32.get(2), 0.02);
      // and it is not the float32 kernel under another name
      assertThat(bf16.get(0).toFloatArray()).isNotEqualTo(fp32.get(0).toFloatArray());
    }
  }

  @Test
  void bf16BiasedAttentionMatchesTheFloat32FusedKernelWithinBf16Rounding() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given unscaled q, k, v of 2 prompts, 77 tokens, 3 heads of 16, at T5-like magnitudes (scores of order 1), and a bias
      SeededRandom random = SeededRandom.seeded(11);
      NDArray q = random.gaussian(manager, new Shape(2, 77, 3, 16)).mul(manager.create(0.25f));
      NDArray k = random.gaussian(manager, new Shape(2, 77, 3, 16));
      NDArray v = random.gaussian(manager, new Shape(2, 77, 3, 16));
      NDArray bias = random.gaussian(manager, new Shape(1, 3, 77, 77));
      NDArray upstream = random.gaussian(manager, new Shape(2, 77, 48));

      // when
      NDList bf16 = runBiased(AttentionKernel.FUSED_BF16, q, k, v, bias, upstream);
      NDList fp32 = runBiased(AttentionKernel.FUSED, q, k, v, bias, upstream);

      // then within bf16 rounding as above (measured worst 0.83%, d q; bound 2%)
      assertClose("output", bf16.get(0), fp32.get(0), 0.02);
      assertClose("d q", bf16.get(1), fp32.get(1), 0.02);
      assertClose("d k", bf16.get(2), fp32.get(2), 0.02);
      assertClose("d v", bf16.get(3), fp32.get(3), 0.02);
    }
  }

  @Test
  void theFusedKernelRunsInBf16ExactlyUnderBf16Precision() {
    assertThat(AttentionKernel.FUSED.under(Precision.BF16)).isEqualTo(AttentionKernel.FUSED_BF16);
    assertThat(AttentionKernel.FUSED.under(Precision.FP32)).isEqualTo(AttentionKernel.FUSED);
    assertThat(AttentionKernel.EXPLICIT.under(Precision.BF16)).isEqualTo(AttentionKernel.EXPLICIT);
    assertThat(AttentionKernel.FUSED_BF16.under(Precision.FP32)).isEqualTo(AttentionKernel.FUSED_BF16);
  }

  /** {output, d q, d k, d v} of {@code sum(attend(q, k, v, bias) · upstream)}. */
  private static NDList runBiased(AttentionKernel kernel, NDArray qIn, NDArray kIn, NDArray vIn, NDArray bias, NDArray upstream) {
    NDManager manager = qIn.getManager();
    NDArray q = qIn.duplicate();
    NDArray k = kIn.duplicate();
    NDArray v = vIn.duplicate();
    q.setRequiresGradient(true);
    k.setRequiresGradient(true);
    v.setRequiresGradient(true);
    NDArray out;
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      out = kernel.attend(q, k, v, bias);
      collector.backward(out.mul(upstream).sum());
    }
    NDList result = new NDList(out.stopGradient(), q.getGradient().duplicate(), k.getGradient().duplicate(), v.getGradient().duplicate());
    result.attach(manager);
    return result;
  }

  /** {output, d qk, d v} of {@code sum(attend(qk, v) · upstream)}. */
  private static NDList run(AttentionKernel kernel, NDArray qkIn, NDArray vIn, NDArray upstream) {
    NDManager manager = qkIn.getManager();
    NDArray qk = qkIn.duplicate();
    NDArray v = vIn.duplicate();
    qk.setRequiresGradient(true);
    v.setRequiresGradient(true);
    NDArray out;
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      out = kernel.attend(qk, v);
      collector.backward(out.mul(upstream).sum());
    }
    NDList result = new NDList(out.stopGradient(), qk.getGradient().duplicate(), v.getGradient().duplicate());
    result.attach(manager);
    return result;
  }
}
