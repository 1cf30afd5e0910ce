package dev.urae.model.flux;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.urae.model.nn.Activations;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.nn.AttentionKernel;
import dev.urae.model.nn.FusedLinear;
import dev.urae.model.nn.LayerNorm;
import dev.urae.model.nn.RmsNorm;
import dev.urae.model.nn.Scoped;
import java.util.List;

/**
 * A single-stream block ({@code single_transformer_blocks.N}) over the joined {@code [txt, img]}
 * sequence: one modulation, attention and MLP branches in parallel from the same input (their
 * input projections to_q, to_k, to_v and proj_mlp run as one matrix product), one output
 * projection over the concatenated branches.
 */
public final class SingleStreamBlock {
  private final int heads;
  private final int headDim;
  private final int innerDim;
  private final LayerNorm layerNorm;
  private final AdaptableLinear norm;
  private final FusedLinear inputProjection;
  private final AdaptableLinear projOut;
  private final RmsNorm normQ;
  private final RmsNorm normK;

  // Child module names (diffusers' FluxSingleTransformerBlock), spelled only here.
  private static final String NORM = "norm.linear";
  private static final String PROJ_MLP = "proj_mlp";
  private static final String PROJ_OUT = "proj_out";
  private static final String NORM_Q = "attn.norm_q";
  private static final String NORM_K = "attn.norm_k";
  private static final String TO_Q = "attn.to_q";
  private static final String TO_K = "attn.to_k";
  private static final String TO_V = "attn.to_v";

  SingleStreamBlock(FluxConfig config, LayerNorm layerNorm, ModuleLookup modules) {
    this.heads = config.numAttentionHeads();
    this.headDim = config.attentionHeadDim();
    this.innerDim = config.innerDim();
    this.layerNorm = layerNorm;
    this.norm = modules.linear(NORM);
    this.inputProjection = new FusedLinear(List.of(modules.linear(TO_Q), modules.linear(TO_K), modules.linear(TO_V), modules.linear(PROJ_MLP)));
    this.projOut = modules.linear(PROJ_OUT);
    this.normQ = modules.rmsNorm(NORM_Q);
    this.normK = modules.rmsNorm(NORM_K);
  }

  /** The block's modules with their shapes, in diffusers registration order, names relative to the block. */
  static void walk(FluxConfig c, FluxLayout.Visitor v) {
    int d = c.innerDim();
    int hd = c.attentionHeadDim();
    int mlp = c.mlpHiddenDim();
    v.linear(NORM, d, 3 * d);
    v.linear(PROJ_MLP, d, mlp);
    v.linear(PROJ_OUT, d + mlp, d);
    v.rmsNorm(NORM_Q, hd);
    v.rmsNorm(NORM_K, hd);
    v.linear(TO_Q, d, d);
    v.linear(TO_K, d, d);
    v.linear(TO_V, d, d);
  }

  /**
   * One block step on {@code x [B, N, D]} (text tokens first) with attention computed by
   * {@code kernel}; returns the new {@code x}.
   *
   * <p>Each step runs in a scope of its own and frees its intermediates on return; autograd
   * keeps, by reference, what it saved for the backward pass. So a block holds at once little
   * more than its 7-wide input projection, not every intermediate it ever made
   * ({@code urae bench plan} measures the difference).
   */
  public NDArray forward(NDArray x, NDArray siluVec, RotaryEmbedding rope, float softmaxScale, AttentionKernel kernel) {
    // Modulation: shift, scale, gate.
    NDList m = AdaLayerNorm.chunks(norm, siluVec, 3);

    // Parallel branches from one projection: attention (q, k, v) and the MLP, joined for one output projection.
    NDArray joined = Scoped.runArray(() -> {
      NDArray projected = inputProjection.forward(AdaLayerNorm.modulate(layerNorm, x, m.get(0), m.get(1)));
      NDList branches = projected.split(new long[] {3L * innerDim}, 2);
      NDArray attended = Scoped.runArray(() -> {
        NDList qkv = Attention.splitQkv(branches.get(0), heads, headDim, Attention.qkScale(normQ, normK, x, softmaxScale));
        return kernel.attend(rope.apply(qkv.get(0)), qkv.get(1));
      });
      NDArray mlp = Activations.geluTanh(branches.get(1));
      branches.close();
      projected.close();
      return attended.concat(mlp, 2);
    });

    // One output projection over both branches, gated residual.
    return Scoped.runArray(() -> {
      NDArray out = projOut.forward(joined);
      joined.close();
      return x.add(m.get(2).mul(out));
    });
  }
}
