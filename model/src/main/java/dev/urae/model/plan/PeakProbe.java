package dev.urae.model.plan;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.urae.model.adapter.Adapter;
import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.adapter.AdapterSpec;
import dev.urae.model.bench.ResidentMemory;
import dev.urae.model.flow.FlowMatching;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flux.FluxConfig;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.nn.Precision;

/**
 * Measures on CPU what {@link MemoryPlanner} estimates: the peak resident memory of one training
 * step (rank-r LoRA on URAE's targets, flow-matching loss, backward) or one inference forward
 * pass, above the resident size with the weights loaded.
 */
public final class PeakProbe {
  private PeakProbe() {}

  /** Peak bytes of one step of a random {@code config} model at a latent of {@code latentH × latentW} with {@code textTokens}. */
  public static long measure(FluxConfig config, int latentH, int latentW, int textTokens, boolean training, boolean checkpointing, int rank,
      Precision precision) {
    try (NDManager manager = NDManager.newBaseManager();
        FluxTransformer model = FluxTransformer.random(config, 0, manager);
        Adapter adapter = Adapter.initLora(model.linears(), AdapterSpec.urae(AdapterKind.LORA, rank), SeededRandom.seeded(1))) {
      model.setPrecision(precision);
      SeededRandom random = SeededRandom.seeded(2);
      NDArray x = random.gaussian(manager, new Shape(1, (latentH / 2) * (latentW / 2), config.inChannels()));
      NDArray txt = random.gaussian(manager, new Shape(1, textTokens, config.jointAttentionDim()));
      NDArray pooled = random.gaussian(manager, new Shape(1, config.pooledProjectionDim()));
      NDArray target = random.gaussian(manager, x.getShape());
      NDArray sigma = manager.create(new float[] {0.5f});
      NDArray guidance = manager.create(new float[] {1f});
      step(model, x, txt, pooled, sigma, guidance, target, latentH, latentW, training, checkpointing); // warm-up: caches, fused weights
      long before = ResidentMemory.currentBytes();
      ResidentMemory.resetPeak();
      step(model, x, txt, pooled, sigma, guidance, target, latentH, latentW, training, checkpointing);
      return ResidentMemory.peakBytes() - before;
    }
  }

  private static void step(FluxTransformer model, NDArray x, NDArray txt, NDArray pooled, NDArray sigma, NDArray guidance, NDArray target,
      int latentH, int latentW, boolean training, boolean checkpointing) {
    try (NDScope scope = new NDScope()) {
      if (!training) {
        model.forward(x, txt, pooled, sigma, guidance, latentH, latentW).toFloatArray();
        return;
      }
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        if (checkpointing) {
          model.forwardBackwardCheckpointed(x, txt, pooled, sigma, guidance, latentH, latentW, v -> FlowMatching.loss(v, target));
        } else {
          collector.backward(FlowMatching.loss(model.forward(x, txt, pooled, sigma, guidance, latentH, latentW), target));
        }
      }
    }
  }

  /**
   * Prints the planner's activation estimate beside the measured peak for small models on CPU
   * (fp32 weights), training without checkpointing, with it (block inputs kept in float32, and in
   * bf16 as {@link Precision#BF16} keeps them) and inference ({@code urae bench plan}). Hidden
   * 512 at 4,224 tokens (a 4,096-token image, 128 text tokens, as FLUX's image-dominated
   * sequences), 4 and 8 blocks of each kind: the difference is per block, the rest fixed. Run with {@code MALLOC_MMAP_THRESHOLD_=65536} so freed tensors leave the resident set.
   */
  public static void validate(java.io.PrintStream out) {
    Engine.getInstance();
    if (!ResidentMemory.measurable()) throw new IllegalStateException("peak memory needs Linux with a writable /proc/self/clear_refs");
    if (!ResidentMemory.freedTensorsLeave()) {
      out.println("warning: MALLOC_MMAP_THRESHOLD_ is not 65536 or less: freed memory stays resident and later peaks read low; run with MALLOC_MMAP_THRESHOLD_=65536");
    }
    out.println("urae bench plan: estimated activations beside measured peak resident memory of one step, fp32, CPU");
    out.printf(java.util.Locale.ROOT, "%-26s %7s %-16s %12s %12s %7s%n", "model", "tokens", "step", "estimate MB", "measured MB", "ratio");
    // hidden, heads, double blocks, single blocks, latent side, text tokens
    int[][] cases = {{512, 8, 0, 4, 128, 128}, {512, 8, 0, 8, 128, 128}, {512, 8, 4, 0, 128, 128}, {512, 8, 8, 0, 128, 128}};
    for (int[] k : cases) {
      FluxConfig config = probeConfig(k[0], k[1], k[2], k[3]);
      long tokens = (long) (k[4] / 2) * (k[4] / 2) + k[5];
      long hiddenBytes = tokens * config.innerDim() * Float.BYTES;
      for (String mode : new String[] {"train", "train-ckpt", "train-ckpt-bf16", "inference"}) {
        long estimate = mode.equals("inference") ? MemoryPlanner.inferenceActivations(config, hiddenBytes)
            : MemoryPlanner.trainingActivations(config, hiddenBytes, mode.startsWith("train-ckpt"), mode.endsWith("bf16"));
        long measured = measure(config, k[4], k[4], k[5], !mode.equals("inference"), mode.startsWith("train-ckpt"), 4,
            mode.endsWith("bf16") ? Precision.BF16 : Precision.FP32);
        out.printf(java.util.Locale.ROOT, "%-26s %7d %-16s %12.1f %12.1f %7.2f%n",
            "hidden " + k[0] + ", " + k[2] + "+" + k[3] + " blocks", tokens, mode, estimate / 1e6, measured / 1e6, (double) estimate / measured);
        out.flush();
      }
    }
    out.println("ratio = estimate / measured; the planner's coefficients are per token and hidden unit, so they carry to FLUX's width.");
  }

  static FluxConfig probeConfig(int hidden, int heads, int doubles, int singles) {
    int headDim = hidden / heads;
    int rope = headDim / 4 / 2 * 2;
    int rest = (headDim - rope) / 2 / 2 * 2;
    return FluxConfig.builder().optName("probe").setInChannels(16).setNumLayers(doubles).setNumSingleLayers(singles)
        .setAttentionHeadDim(headDim).setNumAttentionHeads(heads).setJointAttentionDim(64).setPooledProjectionDim(64).optGuidanceEmbeds(true)
        .setAxesDimsRope(headDim - 2 * rest, rest, rest).build();
  }
}
