package dev.urae.model.flux;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import dev.urae.model.nn.Activations;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.nn.AttentionKernel;
import dev.urae.model.nn.FusedLinear;
import dev.urae.model.nn.LayerNorm;
import dev.urae.model.nn.RmsNorm;
import java.util.List;
import java.util.Map;

/**
 * A double-stream block ({@code transformer_blocks.N}): image and text keep their own
 * modulation, projections and MLPs and meet in one joint attention over {@code [txt, img]}.
 */
public final class DoubleStreamBlock {
  private final int heads;
  private final int headDim;
  private final LayerNorm layerNorm;
  private final AdaptableLinear norm1;
  private final AdaptableLinear norm1Context;
  private final FusedLinear qkv;
  private final FusedLinear addQkv;
  private final RmsNorm normQ;
  private final RmsNorm normK;
  private final RmsNorm normAddedQ;
  private final RmsNorm normAddedK;
  private final AdaptableLinear toOut;
  private final AdaptableLinear toAddOut;
  private final AdaptableLinear ff0;
  private final AdaptableLinear ff2;
  private final AdaptableLinear ffContext0;
  private final AdaptableLinear ffContext2;

  DoubleStreamBlock(String prefix, FluxConfig config, LayerNorm layerNorm, Map<String, AdaptableLinear> linears, Map<String, RmsNorm> norms) {
    this.heads = config.numAttentionHeads();
    this.headDim = config.attentionHeadDim();
    this.layerNorm = layerNorm;
    this.norm1 = linears.get(prefix + "norm1.linear");
    this.norm1Context = linears.get(prefix + "norm1_context.linear");
    this.qkv = new FusedLinear(List.of(linears.get(prefix + "attn.to_q"), linears.get(prefix + "attn.to_k"), linears.get(prefix + "attn.to_v")));
    this.addQkv = new FusedLinear(List.of(linears.get(prefix + "attn.add_q_proj"), linears.get(prefix + "attn.add_k_proj"), linears.get(prefix + "attn.add_v_proj")));
    this.normQ = norms.get(prefix + "attn.norm_q");
    this.normK = norms.get(prefix + "attn.norm_k");
    this.normAddedQ = norms.get(prefix + "attn.norm_added_q");
    this.normAddedK = norms.get(prefix + "attn.norm_added_k");
    this.toOut = linears.get(prefix + "attn.to_out.0");
    this.toAddOut = linears.get(prefix + "attn.to_add_out");
    this.ff0 = linears.get(prefix + "ff.net.0.proj");
    this.ff2 = linears.get(prefix + "ff.net.2");
    this.ffContext0 = linears.get(prefix + "ff_context.net.0.proj");
    this.ffContext2 = linears.get(prefix + "ff_context.net.2");
  }

  /**
   * One block step.
   *
   * @param img image stream [B, Ni, D]
   * @param txt text stream [B, Nt, D]
   * @param siluVec {@code silu(vec)} [B, D], shared by every modulation of the pass
   * @param rope the table for Nt + Ni tokens
   * @param softmaxScale attention scale
   * @param kernel how attention is computed
   * @return the new (img, txt)
   */
  public NDList forward(NDArray img, NDArray txt, NDArray siluVec, RotaryEmbedding rope, float softmaxScale, AttentionKernel kernel) {
    int textTokens = Math.toIntExact(txt.getShape().get(1));
    // Modulation vectors: shift, scale, gate for attention, then for the MLP.
    NDList m = AdaLayerNorm.chunks(norm1, siluVec, 6);
    NDList mc = AdaLayerNorm.chunks(norm1Context, siluVec, 6);
    NDArray imgIn = AdaLayerNorm.modulate(layerNorm, img, m.get(0), m.get(1));
    NDArray txtIn = AdaLayerNorm.modulate(layerNorm, txt, mc.get(0), mc.get(1));

    // Joint attention over [txt, img]: fused q/k/v per stream, per-head RMSNorm, RoPE.
    NDList imgQkv = Attention.splitQkv(qkv.forward(imgIn), heads, headDim, Attention.qkScale(normQ, normK, img, softmaxScale));
    NDList txtQkv = Attention.splitQkv(addQkv.forward(txtIn), heads, headDim, Attention.qkScale(normAddedQ, normAddedK, txt, softmaxScale));
    NDArray qk = rope.apply(txtQkv.get(0).concat(imgQkv.get(0), 1));
    NDArray v = txtQkv.get(1).concat(imgQkv.get(1), 1);
    NDList attended = kernel.attend(qk, v).split(new long[] {textTokens}, 1);

    // Gated residuals: attention, then the GELU-tanh MLP, for each stream.
    NDArray imgOut = img.add(m.get(2).mul(toOut.forward(attended.get(1))));
    imgOut = imgOut.add(m.get(5).mul(ff2.forward(Activations.geluTanh(ff0.forward(AdaLayerNorm.modulate(layerNorm, imgOut, m.get(3), m.get(4)))))));
    NDArray txtOut = txt.add(mc.get(2).mul(toAddOut.forward(attended.get(0))));
    txtOut = txtOut.add(mc.get(5).mul(ffContext2.forward(Activations.geluTanh(ffContext0.forward(AdaLayerNorm.modulate(layerNorm, txtOut, mc.get(3), mc.get(4)))))));
    return new NDList(imgOut, txtOut);
  }
}
