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

  // Child module names (diffusers' FluxTransformerBlock), spelled only here.
  private static final String NORM1 = "norm1.linear";
  private static final String NORM1_CONTEXT = "norm1_context.linear";
  private static final String NORM_Q = "attn.norm_q";
  private static final String NORM_K = "attn.norm_k";
  private static final String TO_Q = "attn.to_q";
  private static final String TO_K = "attn.to_k";
  private static final String TO_V = "attn.to_v";
  private static final String NORM_ADDED_Q = "attn.norm_added_q";
  private static final String NORM_ADDED_K = "attn.norm_added_k";
  private static final String ADD_Q = "attn.add_q_proj";
  private static final String ADD_K = "attn.add_k_proj";
  private static final String ADD_V = "attn.add_v_proj";
  private static final String TO_OUT = "attn.to_out.0";
  private static final String TO_ADD_OUT = "attn.to_add_out";
  private static final String FF0 = "ff.net.0.proj";
  private static final String FF2 = "ff.net.2";
  private static final String FF_CONTEXT0 = "ff_context.net.0.proj";
  private static final String FF_CONTEXT2 = "ff_context.net.2";

  DoubleStreamBlock(FluxConfig config, LayerNorm layerNorm, ModuleLookup modules) {
    this.heads = config.numAttentionHeads();
    this.headDim = config.attentionHeadDim();
    this.layerNorm = layerNorm;
    this.norm1 = modules.linear(NORM1);
    this.norm1Context = modules.linear(NORM1_CONTEXT);
    this.qkv = new FusedLinear(List.of(modules.linear(TO_Q), modules.linear(TO_K), modules.linear(TO_V)));
    this.addQkv = new FusedLinear(List.of(modules.linear(ADD_Q), modules.linear(ADD_K), modules.linear(ADD_V)));
    this.normQ = modules.rmsNorm(NORM_Q);
    this.normK = modules.rmsNorm(NORM_K);
    this.normAddedQ = modules.rmsNorm(NORM_ADDED_Q);
    this.normAddedK = modules.rmsNorm(NORM_ADDED_K);
    this.toOut = modules.linear(TO_OUT);
    this.toAddOut = modules.linear(TO_ADD_OUT);
    this.ff0 = modules.linear(FF0);
    this.ff2 = modules.linear(FF2);
    this.ffContext0 = modules.linear(FF_CONTEXT0);
    this.ffContext2 = modules.linear(FF_CONTEXT2);
  }

  /** The block's modules with their shapes, in diffusers registration order, names relative to the block. */
  static void walk(FluxConfig c, FluxLayout.Visitor v) {
    int d = c.innerDim();
    int hd = c.attentionHeadDim();
    int mlp = c.mlpHiddenDim();
    v.linear(NORM1, d, 6 * d);
    v.linear(NORM1_CONTEXT, d, 6 * d);
    v.rmsNorm(NORM_Q, hd);
    v.rmsNorm(NORM_K, hd);
    v.linear(TO_Q, d, d);
    v.linear(TO_K, d, d);
    v.linear(TO_V, d, d);
    v.rmsNorm(NORM_ADDED_Q, hd);
    v.rmsNorm(NORM_ADDED_K, hd);
    v.linear(ADD_Q, d, d);
    v.linear(ADD_K, d, d);
    v.linear(ADD_V, d, d);
    v.linear(TO_OUT, d, d);
    v.linear(TO_ADD_OUT, d, d);
    v.linear(FF0, d, mlp);
    v.linear(FF2, mlp, d);
    v.linear(FF_CONTEXT0, d, mlp);
    v.linear(FF_CONTEXT2, mlp, d);
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

    // Joint attention over [txt, img]: fused q/k/v per stream, per-head RMSNorm, RoPE. Each step
    // frees its intermediates on return (autograd keeps what it saved by reference).
    NDList attended = Scoped.run(() -> {
      NDList imgQkv = Attention.splitQkv(qkv.forward(AdaLayerNorm.modulate(layerNorm, img, m.get(0), m.get(1))), heads, headDim,
          Attention.qkScale(normQ, normK, img, softmaxScale));
      NDList txtQkv = Attention.splitQkv(addQkv.forward(AdaLayerNorm.modulate(layerNorm, txt, mc.get(0), mc.get(1))), heads, headDim,
          Attention.qkScale(normAddedQ, normAddedK, txt, softmaxScale));
      NDArray qk = Scoped.runArray(() -> rope.apply(txtQkv.get(0).concat(imgQkv.get(0), 1)));
      NDArray v = txtQkv.get(1).concat(imgQkv.get(1), 1);
      imgQkv.close();
      txtQkv.close();
      return kernel.attend(qk, v).split(new long[] {textTokens}, 1);
    });

    // Gated residuals: attention, then the GELU-tanh MLP, for each stream.
    return new NDList(residuals(img, attended.get(1), m, toOut, ff0, ff2), residuals(txt, attended.get(0), mc, toAddOut, ffContext0, ffContext2));
  }

  /** One stream's gated attention residual, then its gated GELU-tanh MLP residual; {@code m} its six modulation vectors. */
  private NDArray residuals(NDArray x, NDArray attended, NDList m, AdaptableLinear out, AdaptableLinear ffIn, AdaptableLinear ffOut) {
    NDArray h = Scoped.runArray(() -> x.add(m.get(2).mul(out.forward(attended))));
    return Scoped.runArray(() -> {
      NDArray hidden = Scoped.runArray(() -> Activations.geluTanh(ffIn.forward(AdaLayerNorm.modulate(layerNorm, h, m.get(3), m.get(4)))));
      return h.add(m.get(5).mul(ffOut.forward(hidden)));
    });
  }
}
