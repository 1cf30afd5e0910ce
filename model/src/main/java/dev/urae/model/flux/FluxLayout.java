package dev.urae.model.flux;

import ai.djl.ndarray.types.Shape;
import dev.urae.model.tensors.TensorSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every parameter of a {@link FluxConfig} by diffusers name and shape, computed from the
 * configuration alone: describing {@code flux-dev} allocates nothing. {@link FluxTransformer}
 * builds its layers from the same walk, so the two cannot disagree.
 */
public final class FluxLayout {
  /** Width of the sinusoidal timestep and guidance embeddings. */
  public static final int TIMESTEP_PROJ_DIM = 256;

  private final List<TensorSpec> tensors;

  private FluxLayout(List<TensorSpec> tensors) {
    this.tensors = Collections.unmodifiableList(tensors);
  }

  /** The layout of {@code config}. */
  public static FluxLayout of(FluxConfig config) {
    List<TensorSpec> specs = new ArrayList<>();
    walk(config, new Visitor() {
      @Override
      public void linear(String module, int in, int out) {
        specs.add(new TensorSpec(module + ".weight", new Shape(out, in)));
        specs.add(new TensorSpec(module + ".bias", new Shape(out)));
      }

      @Override
      public void rmsNorm(String module, int dim) {
        specs.add(new TensorSpec(module + ".weight", new Shape(dim)));
      }
    });
    return new FluxLayout(specs);
  }

  /** Parameter names and shapes in the model's stable order. */
  public List<TensorSpec> tensors() {
    return tensors;
  }

  /** Total number of parameters. */
  public long parameterCount() {
    long n = 0;
    for (TensorSpec t : tensors) n += t.size();
    return n;
  }

  /** Receives each parameterised module of the model in order. */
  interface Visitor {
    void linear(String module, int in, int out);

    void rmsNorm(String module, int dim);
  }

  /** Walks the modules of {@code c} in diffusers registration order. */
  static void walk(FluxConfig c, Visitor v) {
    int d = c.innerDim();
    int hd = c.attentionHeadDim();
    int mlp = c.mlpHiddenDim();
    v.linear("time_text_embed.timestep_embedder.linear_1", TIMESTEP_PROJ_DIM, d);
    v.linear("time_text_embed.timestep_embedder.linear_2", d, d);
    if (c.guidanceEmbeds()) {
      v.linear("time_text_embed.guidance_embedder.linear_1", TIMESTEP_PROJ_DIM, d);
      v.linear("time_text_embed.guidance_embedder.linear_2", d, d);
    }
    v.linear("time_text_embed.text_embedder.linear_1", c.pooledProjectionDim(), d);
    v.linear("time_text_embed.text_embedder.linear_2", d, d);
    v.linear("context_embedder", c.jointAttentionDim(), d);
    v.linear("x_embedder", c.inChannels(), d);
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "transformer_blocks." + i + ".";
      v.linear(p + "norm1.linear", d, 6 * d);
      v.linear(p + "norm1_context.linear", d, 6 * d);
      v.rmsNorm(p + "attn.norm_q", hd);
      v.rmsNorm(p + "attn.norm_k", hd);
      v.linear(p + "attn.to_q", d, d);
      v.linear(p + "attn.to_k", d, d);
      v.linear(p + "attn.to_v", d, d);
      v.rmsNorm(p + "attn.norm_added_q", hd);
      v.rmsNorm(p + "attn.norm_added_k", hd);
      v.linear(p + "attn.add_q_proj", d, d);
      v.linear(p + "attn.add_k_proj", d, d);
      v.linear(p + "attn.add_v_proj", d, d);
      v.linear(p + "attn.to_out.0", d, d);
      v.linear(p + "attn.to_add_out", d, d);
      v.linear(p + "ff.net.0.proj", d, mlp);
      v.linear(p + "ff.net.2", mlp, d);
      v.linear(p + "ff_context.net.0.proj", d, mlp);
      v.linear(p + "ff_context.net.2", mlp, d);
    }
    for (int i = 0; i < c.numSingleLayers(); i++) {
      String p = "single_transformer_blocks." + i + ".";
      v.linear(p + "norm.linear", d, 3 * d);
      v.linear(p + "proj_mlp", d, mlp);
      v.linear(p + "proj_out", d + mlp, d);
      v.rmsNorm(p + "attn.norm_q", hd);
      v.rmsNorm(p + "attn.norm_k", hd);
      v.linear(p + "attn.to_q", d, d);
      v.linear(p + "attn.to_k", d, d);
      v.linear(p + "attn.to_v", d, d);
    }
    v.linear("norm_out.linear", d, 2 * d);
    v.linear("proj_out", d, c.outChannels());
  }
}
