package dev.urae.model.flux;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.urae.model.nn.Activations;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.nn.AttentionKernel;
import dev.urae.model.nn.FusedLinear;
import dev.urae.model.nn.LayerNorm;
import dev.urae.model.nn.RmsNorm;
import java.util.List;
import java.util.Map;

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

  SingleStreamBlock(String prefix, FluxConfig config, LayerNorm layerNorm, Map<String, AdaptableLinear> linears, Map<String, RmsNorm> norms) {
    this.heads = config.numAttentionHeads();
    this.headDim = config.attentionHeadDim();
    this.innerDim = config.innerDim();
    this.layerNorm = layerNorm;
    this.norm = linears.get(prefix + "norm.linear");
    this.inputProjection = new FusedLinear(List.of(
        linears.get(prefix + "attn.to_q"), linears.get(prefix + "attn.to_k"), linears.get(prefix + "attn.to_v"), linears.get(prefix + "proj_mlp")));
    this.projOut = linears.get(prefix + "proj_out");
    this.normQ = norms.get(prefix + "attn.norm_q");
    this.normK = norms.get(prefix + "attn.norm_k");
  }

  /**
   * One block step on {@code x [B, N, D]} (text tokens first) with attention computed by
   * {@code kernel}; returns the new {@code x}.
   */
  public NDArray forward(NDArray x, NDArray siluVec, RotaryEmbedding rope, float softmaxScale, AttentionKernel kernel) {
    // Modulation: shift, scale, gate.
    NDList m = AdaLayerNorm.chunks(norm, siluVec, 3);
    NDArray in = AdaLayerNorm.modulate(layerNorm, x, m.get(0), m.get(1));

    // Parallel branches from one projection: attention (q, k, v) and the MLP.
    NDList branches = inputProjection.forward(in).split(new long[] {3L * innerDim}, 2);
    NDList qkv = Attention.splitQkv(branches.get(0), heads, headDim, Attention.qkScale(normQ, normK, x, softmaxScale));
    NDArray attended = kernel.attend(rope.apply(qkv.get(0)), qkv.get(1));
    NDArray mlp = Activations.geluTanh(branches.get(1));

    // One output projection over both branches, gated residual.
    return x.add(m.get(2).mul(projOut.forward(attended.concat(mlp, 2))));
  }
}
