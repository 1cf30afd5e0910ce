package dev.urae.model.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.urae.model.flow.FlowMatching;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flux.FluxConfig;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.nn.AttentionKernel;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Peak memory and time of forward+backward through one FLUX-width single-stream block (hidden
 * 3072, 24 heads × 128, FLUX.1-dev's shapes, 512 text tokens) at growing image-token counts,
 * with the fused kernel (float32, and in bf16 as bf16 mixed precision runs it) beside the explicit
 * one. The explicit kernel is skipped where its score matrices alone would not fit in the memory
 * the machine has available.
 */
public final class AttentionBenchmark {
  /** 1k, 4k and 16k image tokens: latent sides 64, 128, 256 (grids 32², 64², 128²). */
  public static final List<Integer> DEFAULT_LATENT_SIDES = List.of(64, 128, 256);

  static final int TEXT_TOKENS = 512;
  private static final double GIB = 1024.0 * 1024 * 1024;

  private final List<Integer> latentSides;
  private final int threads;

  public AttentionBenchmark(List<Integer> latentSides, int threads) {
    if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    for (int side : latentSides) {
      if (side < 2 || side % 2 != 0) throw new IllegalArgumentException("latent sides must be even and at least 2, got " + side);
    }
    this.latentSides = List.copyOf(latentSides);
    this.threads = threads;
  }

  /** The block's shape: FLUX.1-dev with no double-stream and one single-stream block. */
  static FluxConfig blockConfig() {
    return FluxPresets.FLUX_DEV.toBuilder().optName("flux-width-block").setNumLayers(0).setNumSingleLayers(1).build();
  }

  /** Runs every size with both kernels and prints one line per measurement. */
  public void run(PrintStream out) {
    if (!ResidentMemory.measurable()) throw new IllegalStateException("peak memory needs Linux with a writable /proc/self/clear_refs");
    Engine.getInstance(); // loads the native library before the thread count is set
    JniUtils.setNumThreads(threads);
    FluxConfig config = blockConfig();
    out.printf(Locale.ROOT, "urae bench attention: one single-stream block, hidden %d (%d heads x %d), %d text tokens, fp32 weights and activations, CPU, %d thread(s)%n",
        config.innerDim(), config.numAttentionHeads(), config.attentionHeadDim(), TEXT_TOKENS, threads);
    out.println("each line: forward+backward of the block (gradient to its input), wall time, peak resident memory above the resident size before the step");
    out.println("fused_bf16: the fused kernel with q, k, v cast to bf16 inside it (what adapt.precision bf16 runs); the rest of the block stays float32");
    out.printf(Locale.ROOT, "%-10s %8s %8s | %10s %14s%n", "kernel", "image", "tokens", "seconds", "peak GiB");
    try (NDManager manager = NDManager.newBaseManager();
        FluxTransformer model = FluxTransformer.random(config, 0, manager)) {
      step(model, 16, AttentionKernel.FUSED); // warm-up: loads the module, touches the weights
      for (int side : latentSides) {
        for (AttentionKernel kernel : AttentionKernel.values()) {
          int tokens = TEXT_TOKENS + (side / 2) * (side / 2);
          String label = String.format(Locale.ROOT, "%-10s %8d %8d | ", kernel.name().toLowerCase(Locale.ROOT), (side / 2) * (side / 2), tokens);
          long scores = explicitScoreBytes(config, tokens);
          if (kernel == AttentionKernel.EXPLICIT && scores > ResidentMemory.availableBytes()) {
            out.printf(Locale.ROOT, "%s%10s %14s  skipped: its scores and their softmax need %.1f GiB, %.1f GiB available%n",
                label, "-", "-", scores / GIB, ResidentMemory.availableBytes() / GIB);
            continue;
          }
          double[] figures = step(model, side, kernel);
          out.printf(Locale.ROOT, "%s%10.1f %14.2f%n", label, figures[0], figures[1] / GIB);
          out.flush();
        }
      }
    }
    out.println("fused memory should grow about linearly with the tokens; explicit grows with their square.");
  }

  /** {seconds, peak bytes above the resident size before} of one forward+backward. */
  private static double[] step(FluxTransformer model, int side, AttentionKernel kernel) {
    FluxConfig c = model.config();
    model.setAttentionKernel(kernel);
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      SeededRandom random = SeededRandom.seeded(side);
      NDArray x = random.gaussian(m, new Shape(1, (side / 2) * (side / 2), c.inChannels()));
      NDArray txt = random.gaussian(m, new Shape(1, TEXT_TOKENS, c.jointAttentionDim()));
      NDArray pooled = random.gaussian(m, new Shape(1, c.pooledProjectionDim()));
      NDArray target = random.gaussian(m, x.getShape());
      NDArray sigma = m.create(new float[] {0.5f});
      NDArray guidance = m.create(new float[] {1f});
      x.setRequiresGradient(true);
      long before = ResidentMemory.currentBytes();
      ResidentMemory.resetPeak();
      long t0 = System.nanoTime();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(FlowMatching.loss(model.forward(x, txt, pooled, sigma, guidance, side, side), target));
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new double[] {seconds, ResidentMemory.peakBytes() - before};
    }
  }

  /** fp32 bytes of the explicit kernel's scores and softmax weights, both kept for the backward pass. */
  static long explicitScoreBytes(FluxConfig c, long tokens) {
    return 2L * c.numAttentionHeads() * tokens * tokens * Float.BYTES;
  }
}
