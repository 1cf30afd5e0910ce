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

/**
 * Measures on CPU what {@link MemoryPlanner} estimates: the peak resident memory of one training
 * step (rank-r LoRA on URAE's targets, flow-matching loss, backward) or one inference forward
 * pass, above the resident size with the weights loaded.
 */
public final class PeakProbe {
  private PeakProbe() {}

  /** Peak bytes of one step of a random {@code config} model at a latent of {@code latentH × latentW} with {@code textTokens}. */
  public static long measure(FluxConfig config, int latentH, int latentW, int textTokens, boolean training, boolean checkpointing, int rank) {
    try (NDManager manager = NDManager.newBaseManager();
        FluxTransformer model = FluxTransformer.random(config, 0, manager);
        Adapter adapter = Adapter.initLora(model.linears(), AdapterSpec.urae(AdapterKind.LORA, rank), SeededRandom.seeded(1))) {
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

  /** Prints raw measurements for calibration: {@code PeakProbe hidden heads doubles singles latent text}. */
  public static void main(String[] args) {
    Engine.getInstance();
    int hidden = Integer.parseInt(args[0]);
    int heads = Integer.parseInt(args[1]);
    FluxConfig config = FluxConfig.builder().optName("probe").setInChannels(16).setNumLayers(Integer.parseInt(args[2]))
        .setNumSingleLayers(Integer.parseInt(args[3])).setAttentionHeadDim(hidden / heads).setNumAttentionHeads(heads)
        .setJointAttentionDim(64).setPooledProjectionDim(64).optGuidanceEmbeds(true)
        .setAxesDimsRope(hidden / heads / 4, 3 * hidden / heads / 8, 3 * hidden / heads / 8).build();
    int latent = Integer.parseInt(args[4]);
    int text = Integer.parseInt(args[5]);
    for (String mode : new String[] {"train", "train-ckpt", "infer"}) {
      long bytes = measure(config, latent, latent, text, !mode.equals("infer"), mode.equals("train-ckpt"), 4);
      long tokens = (long) (latent / 2) * (latent / 2) + text;
      System.out.printf("%s hidden=%d blocks=%s+%s tokens=%d peak=%.1f MB  per token per D: %.2f floats%n", mode, hidden, args[2], args[3], tokens,
          bytes / 1e6, bytes / 4.0 / tokens / hidden);
    }
  }
}
