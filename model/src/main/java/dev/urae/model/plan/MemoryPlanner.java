package dev.urae.model.plan;

import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.adapter.AdapterTargets;
import dev.urae.model.flux.FluxConfig;
import dev.urae.model.flux.FluxLayout;
import dev.urae.model.tensors.TensorSpec;
import dev.urae.model.vae.AutoencoderKl;
import dev.urae.model.vae.VaeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Estimates the peak device memory of each GPU stage for one workload, before anything is
 * loaded, so a stage can refuse with a table instead of dying out of memory mid-run.
 *
 * <p>Activations are counted per token and per unit of hidden width, in float32 (the code keeps
 * them so between the linears, even with bf16 weights): what one transformer block keeps for
 * the backward pass ({@link #SAVED_PER_TOKEN_DOUBLE}, {@link #SAVED_PER_TOKEN_SINGLE}), what the
 * backward pass adds on top ({@link #BACKWARD_PER_TOKEN}), what one block recomputed with its
 * graph and back-propagated adds on top of the kept inputs under checkpointing ({@link
 * #RECOMPUTE_PER_TOKEN}), and the peak of a forward pass ({@link #FORWARD_PER_TOKEN_SINGLE},
 * {@link #FORWARD_PER_TOKEN_DOUBLE}). FLUX's
 * MLP ratio 4 and fused attention assumed. The coefficients were measured on CPU with {@code
 * urae bench plan} ({@link PeakProbe}: hidden 512, 4,224 tokens; 4 and 8 blocks of each kind,
 * so that per-block and fixed parts separate), which prints estimate beside measurement. They
 * were measured with float32 attention: under bf16 the fused attention saves its q, k, v and
 * output in bf16 (about 2 of the 4 widths it saves per block), which the coefficients do not
 * subtract, so bf16 estimates err high by up to 2 widths per saved or recomputed block.
 */
public final class MemoryPlanner {
  /** Hidden widths per token one double-stream block keeps for its backward pass (measured: 8 blocks minus 4 blocks, 14.8). */
  static final double SAVED_PER_TOKEN_DOUBLE = 14.8;
  /** The same for one single-stream block (measured 12.9 and 13.9 in two runs: its 7-wide input projection, the 5-wide input of its output projection, norm and attention outputs). */
  static final double SAVED_PER_TOKEN_SINGLE = 13.5;
  /** Hidden widths per token the backward pass holds beyond the saved graphs: gradients in flight, the head (measured 5 to 15: the noisiest figure). */
  static final double BACKWARD_PER_TOKEN = 10;
  /**
   * Under checkpointing, hidden widths per token beyond the kept block inputs: one block
   * recomputed with its graph, its backward pass, the gradients in flight and the head
   * (measured 30.4 with float32 kept inputs, 33 with bf16 ones: the float32 copy of the input
   * being recomputed).
   */
  static final double RECOMPUTE_PER_TOKEN = 33;
  /** Hidden widths per token alive at the peak of a forward pass without a graph: the carry and one single block's live intermediates (measured 23.1, the same for 4 and 8 blocks). */
  static final double FORWARD_PER_TOKEN_SINGLE = 23;
  /** The same through double blocks, which peak lower (measured 17.3 with 4 and 8 blocks: their MLPs run per stream, text and image apart). */
  static final double FORWARD_PER_TOKEN_DOUBLE = 17.3;
  /** Elements per pixel per channel of the VAE's widest (full-resolution) level alive at once while it decodes or encodes a tile. */
  static final double VAE_PER_PIXEL_CHANNEL = 6;
  /** Optimizer state per trainable parameter, in fp32 values (Prodigy: exp_avg, exp_avg_sq, s, p0; AdamW: exp_avg, exp_avg_sq). */
  static int optimizerStates(String optimizer) {
    return optimizer.equals("adamw") ? 2 : 4;
  }

  private MemoryPlanner() {}

  /** The plan of every stage of {@code w}. */
  public static MemoryPlan plan(Workload w) {
    Objects.requireNonNull(w, "workload == null");
    List<StageEstimate> stages = new ArrayList<>();
    FluxConfig c = w.transformer();
    long tokens = w.textTokens() + w.imageTokens();
    // activations stay float32 between the linears even with bf16 weights (only the products run in bf16)
    long hiddenBytes = tokens * c.innerDim() * (long) Float.BYTES;
    long transformerWeights = transformerWeightBytes(c, w.weightBytes(), w.fusedCopies());

    if (w.textEncoderParameters() > 0) {
      stages.add(StageEstimate.builder("cache: text encoders").weights(w.textEncoderParameters() * w.weightBytes()).build());
    }
    // the VAE widens its weights to float32 on load, whatever the checkpoint stores
    long vaeWeights = w.vae() == null ? 0 : parameters(w.vae().layout()) * Float.BYTES;
    long vaeTile = vaeTileBytes(w);
    if (w.vae() != null) stages.add(StageEstimate.builder("cache: VAE encode").weights(vaeWeights).vaeTiles(vaeTile).build());

    boolean bf16 = w.weightBytes() == 2;
    long saved = trainingActivations(c, hiddenBytes, false, bf16);
    long checkpointed = trainingActivations(c, hiddenBytes, true, bf16);
    long adapter = adapterBytes(c, w);
    stages.add(StageEstimate.builder("adapt (" + w.adapter().name().toLowerCase(java.util.Locale.ROOT) + " r" + w.rank() + ")")
        .weights(transformerWeights).activations(w.checkpointing() ? checkpointed : saved).withoutCheckpointing(saved)
        .checkpointing(w.checkpointing()).adapterAndOptimizer(adapter).build());
    stages.add(StageEstimate.builder("render: sampling").weights(transformerWeights + adapter / (2 + optimizerStates(w.optimizer())))
        .activations(inferenceActivations(c, hiddenBytes)).build());
    if (w.vae() != null) stages.add(StageEstimate.builder("render: VAE decode").weights(vaeWeights).vaeTiles(vaeTile).build());
    return new MemoryPlan(w, stages);
  }

  /**
   * A training step's activations; {@code hiddenBytes} is one float32 [tokens, hidden] array.
   * Without checkpointing every block keeps its graph and the backward pass adds its gradients;
   * with it, one kept input per segment (double: img + txt = all tokens; the join; single), in
   * bf16 under bf16 mixed precision ({@code keptInBf16}: half the bytes), and one block
   * recomputed and back-propagated at a time.
   */
  public static long trainingActivations(FluxConfig c, long hiddenBytes, boolean checkpointing, boolean keptInBf16) {
    if (!checkpointing) {
      return (long) (hiddenBytes * (c.numLayers() * SAVED_PER_TOKEN_DOUBLE + c.numSingleLayers() * SAVED_PER_TOKEN_SINGLE + BACKWARD_PER_TOKEN));
    }
    double keptInputs = (c.numLayers() + 1.0 + c.numSingleLayers()) * (keptInBf16 ? 0.5 : 1.0);
    return (long) (hiddenBytes * (keptInputs + RECOMPUTE_PER_TOKEN));
  }

  /** A forward pass's activations (sampling): the peak of the kind of block that peaks highest among those the model has. */
  public static long inferenceActivations(FluxConfig c, long hiddenBytes) {
    double perToken = c.numSingleLayers() > 0 ? FORWARD_PER_TOKEN_SINGLE : FORWARD_PER_TOKEN_DOUBLE;
    return (long) (hiddenBytes * perToken);
  }

  /** Frozen transformer weights, plus the concatenated copies of fused projections when the build keeps them. */
  static long transformerWeightBytes(FluxConfig c, int weightBytes, boolean fusedCopies) {
    long params = FluxLayout.of(c).parameterCount();
    if (fusedCopies) {
      long d = c.innerDim();
      // double blocks: to_q/k/v and add_q/k/v_proj (weights + biases); single blocks: to_q/k/v + proj_mlp.
      params += c.numLayers() * 2L * (3 * d * d + 3 * d) + c.numSingleLayers() * ((3 + c.mlpRatio()) * d * d + (3 + c.mlpRatio()) * d);
    }
    return params * weightBytes;
  }

  /** Adapter parameters, their gradients and optimizer state, all fp32. */
  static long adapterBytes(FluxConfig c, Workload w) {
    long params = 0;
    for (TensorSpec t : FluxLayout.of(c).tensors()) {
      String name = t.name();
      if (!name.endsWith(".weight")) continue;
      String module = name.substring(0, name.length() - ".weight".length());
      if (!w.targets().matches(module) || t.shape().dimension() != 2) continue;
      params += (long) w.rank() * (t.shape().get(0) + t.shape().get(1));
    }
    return params * Float.BYTES * (2L + optimizerStates(w.optimizer()));
  }

  /**
   * One VAE tile at full resolution, widest level, plus one block of the mid-block attention
   * scores on its latent ({@code AutoencoderKl} computes attention in blocks of query rows). The
   * VAE runs in float32 whatever the transformer's precision (its weights are widened on load).
   */
  static long vaeTileBytes(Workload w) {
    if (w.vae() == null) return 0;
    long side = Math.min(w.vaeTile(), Math.max(w.width(), w.height()));
    long pixels = Math.min(side * side, (long) w.width() * w.height());
    int channels = w.vae().blockOutChannels().get(0);
    long level = (long) (pixels * channels * VAE_PER_PIXEL_CHANNEL * Float.BYTES);
    long latentTokens = pixels / ((long) w.vae().downsampling() * w.vae().downsampling());
    long scores = w.vae().midBlockAttention() ? Math.min(latentTokens, AutoencoderKl.ATTENTION_QUERY_BLOCK) * latentTokens * Float.BYTES : 0;
    return level + scores;
  }

  private static long parameters(List<TensorSpec> layout) {
    long n = 0;
    for (TensorSpec t : layout) n += t.size();
    return n;
  }
}
