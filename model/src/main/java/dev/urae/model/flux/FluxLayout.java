package dev.urae.model.flux;

import ai.djl.ndarray.types.Shape;
import dev.urae.model.tensors.TensorSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every parameter of a {@link FluxConfig} by diffusers name and shape, computed from the
 * configuration alone: describing {@code flux-dev} allocates nothing. {@link FluxTransformer}
 * builds its layers from the same walk, so the two cannot disagree. Each block kind spells its
 * own children's names ({@link DoubleStreamBlock#walk}, {@link SingleStreamBlock#walk}); the
 * model-level names are spelled here only.
 */
public final class FluxLayout {
  /** Width of the sinusoidal timestep and guidance embeddings. */
  public static final int TIMESTEP_PROJ_DIM = 256;

  static final String TIMESTEP_EMBEDDER = "time_text_embed.timestep_embedder";
  static final String GUIDANCE_EMBEDDER = "time_text_embed.guidance_embedder";
  static final String TEXT_EMBEDDER = "time_text_embed.text_embedder";
  /** The two layers of each embedder above: {@code <embedder>.linear_1}, {@code <embedder>.linear_2}. */
  static final String EMBEDDER_IN = ".linear_1";
  static final String EMBEDDER_OUT = ".linear_2";
  static final String CONTEXT_EMBEDDER = "context_embedder";
  static final String X_EMBEDDER = "x_embedder";
  static final String NORM_OUT = "norm_out.linear";
  static final String PROJ_OUT = "proj_out";

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

  /** The name prefix of double-stream block {@code i}. */
  static String doubleBlock(int i) {
    return "transformer_blocks." + i + ".";
  }

  /** The name prefix of single-stream block {@code i}. */
  static String singleBlock(int i) {
    return "single_transformer_blocks." + i + ".";
  }

  /** Walks the modules of {@code c} in diffusers registration order. */
  static void walk(FluxConfig c, Visitor v) {
    int d = c.innerDim();
    embedder(v, TIMESTEP_EMBEDDER, TIMESTEP_PROJ_DIM, d);
    if (c.guidanceEmbeds()) embedder(v, GUIDANCE_EMBEDDER, TIMESTEP_PROJ_DIM, d);
    embedder(v, TEXT_EMBEDDER, c.pooledProjectionDim(), d);
    v.linear(CONTEXT_EMBEDDER, c.jointAttentionDim(), d);
    v.linear(X_EMBEDDER, c.inChannels(), d);
    for (int i = 0; i < c.numLayers(); i++) DoubleStreamBlock.walk(c, prefixed(doubleBlock(i), v));
    for (int i = 0; i < c.numSingleLayers(); i++) SingleStreamBlock.walk(c, prefixed(singleBlock(i), v));
    v.linear(NORM_OUT, d, 2 * d);
    v.linear(PROJ_OUT, d, c.outChannels());
  }

  private static void embedder(Visitor v, String embedder, int in, int d) {
    v.linear(embedder + EMBEDDER_IN, in, d);
    v.linear(embedder + EMBEDDER_OUT, d, d);
  }

  /** {@code v} seeing a block's relative names under {@code prefix}. */
  private static Visitor prefixed(String prefix, Visitor v) {
    return new Visitor() {
      @Override
      public void linear(String module, int in, int out) {
        v.linear(prefix + module, in, out);
      }

      @Override
      public void rmsNorm(String module, int dim) {
        v.rmsNorm(prefix + module, dim);
      }
    };
  }
}
