package dev.urae.model.flux;

import dev.urae.model.nn.Scoped;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.checkpoint.CheckpointException;
import dev.urae.model.checkpoint.CheckpointProblem;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.checkpoint.TensorLoader;
import dev.urae.model.checkpoint.TensorSet;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.nn.Activations;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.nn.AttentionKernel;
import dev.urae.model.nn.Precision;
import dev.urae.model.nn.LayerNorm;
import dev.urae.model.nn.RmsNorm;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.NamedParameters;
import dev.urae.model.tensors.TensorSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A FLUX-family rectified-flow transformer ({@code FluxTransformer2DModel} in diffusers) on
 * DJL's PyTorch engine, float32. Parameters carry diffusers names and shapes, so a FLUX
 * checkpoint maps one to one (see {@link dev.urae.model.tensors.ModelWeights}).
 *
 * <p>Every linear layer is an {@link AdaptableLinear} reachable by its diffusers module name
 * through {@link #linears()}; base weights never require gradients, so inside a DJL
 * {@code GradientCollector} only attached adapters train.
 *
 * <p>Memory: {@link #forward} creates its intermediates in the managers of its inputs (mostly
 * {@code packedLatents}'s). Run it in an {@code NDScope} or with inputs in a short-lived
 * sub-manager. Build the model itself outside any {@code NDScope}. Not thread-safe.
 */
public final class FluxTransformer implements NamedParameters, AutoCloseable {
  private static final float NORM_EPS = 1e-6f;

  private final FluxConfig config;
  private final NDManager manager;
  private final Map<String, AdaptableLinear> linears;
  private final Map<String, RmsNorm> norms;
  private final List<DoubleStreamBlock> doubleBlocks;
  private final List<SingleStreamBlock> singleBlocks;
  private final LayerNorm finalNorm;
  private final float[] timestepFrequencies;
  private AttentionSettings attention = AttentionSettings.DEFAULT;
  private AttentionKernel kernel = AttentionKernel.FUSED;
  private Precision precision = Precision.FP32;

  private FluxTransformer(FluxConfig config, NDManager parent, Device device, Initialization init) {
    this.config = Objects.requireNonNull(config, "config == null");
    this.manager = parent.newSubManager(device);
    Map<String, AdaptableLinear> linearMap = new LinkedHashMap<>();
    Map<String, RmsNorm> normMap = new LinkedHashMap<>();
    try {
      createLayers(config, init, linearMap, normMap);
    } catch (RuntimeException e) {
      // A load that fails half-way releases what it loaded.
      manager.close();
      throw e;
    }
    this.linears = Collections.unmodifiableMap(linearMap);
    this.norms = Collections.unmodifiableMap(normMap);
    LayerNorm layerNorm = new LayerNorm(manager, config.innerDim(), NORM_EPS);
    List<DoubleStreamBlock> doubles = new ArrayList<>();
    for (int i = 0; i < config.numLayers(); i++) {
      ModuleLookup modules = new ModuleLookup(FluxLayout.doubleBlock(i), linearMap, normMap);
      doubles.add(new DoubleStreamBlock(config, layerNorm, modules));
      modules.requireAllTaken();
    }
    List<SingleStreamBlock> singles = new ArrayList<>();
    for (int i = 0; i < config.numSingleLayers(); i++) {
      ModuleLookup modules = new ModuleLookup(FluxLayout.singleBlock(i), linearMap, normMap);
      singles.add(new SingleStreamBlock(config, layerNorm, modules));
      modules.requireAllTaken();
    }
    this.doubleBlocks = List.copyOf(doubles);
    this.singleBlocks = List.copyOf(singles);
    this.finalNorm = layerNorm;
    this.timestepFrequencies = timestepFrequencies();
  }

  private void createLayers(FluxConfig config, Initialization init, Map<String, AdaptableLinear> linearMap, Map<String, RmsNorm> normMap) {
    FluxLayout.walk(config, new FluxLayout.Visitor() {
      @Override
      public void linear(String module, int in, int out) {
        try {
          linearMap.put(module, init.linear(manager, module, in, out));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public void rmsNorm(String module, int dim) {
        RmsNorm norm = new RmsNorm(manager, dim, Attention.QK_NORM_EPS);
        try {
          NDArray scale = init.scale(manager, module, dim);
          if (scale != null) norm.setWeight(scale);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        normMap.put(module, norm);
      }
    });
  }

  /** A model with zero weights (RMSNorm scales one), to be filled by loading a checkpoint. */
  public static FluxTransformer zeros(FluxConfig config, NDManager parent) {
    return new FluxTransformer(config, parent, parent.getDevice(), (m, module, in, out) -> AdaptableLinear.zeros(m, in, out, true));
  }

  /**
   * A model with PyTorch's default linear initialisation, U(−1/√in, 1/√in) for weights and
   * biases, drawn in layout order from {@code SeededRandom.seeded(seed)}: the same seed gives
   * the same weights on every machine.
   */
  public static FluxTransformer random(FluxConfig config, long seed, NDManager parent) {
    SeededRandom random = SeededRandom.seeded(seed);
    return new FluxTransformer(config, parent, parent.getDevice(), (m, module, in, out) -> {
      float bound = (float) (1.0 / Math.sqrt(in));
      NDArray w = m.create(random.uniforms(in * out, bound), new Shape(out, in));
      NDArray b = m.create(random.uniforms(out, bound), new Shape(out));
      return new AdaptableLinear(m, w, b);
    });
  }

  /**
   * The transformer of a checkpoint on {@code device}, every weight in its stored dtype (a bf16
   * checkpoint takes exactly its parameter bytes: no float32 copy, no second fused q/k/v),
   * loaded tensor by tensor straight from the memory-mapped files. Nothing is allocated unless
   * the checkpoint matches {@code config} completely.
   *
   * @param config from {@link FluxConfigJson#of}
   * @throws CheckpointException listing every missing, unexpected, mis-shaped or non-float tensor
   */
  public static FluxTransformer load(Component transformer, FluxConfig config, Device device, NDManager parent) throws IOException {
    List<CheckpointProblem> problems = transformer.mismatches(FluxLayout.of(config).tensors());
    if (!problems.isEmpty()) throw new CheckpointException(transformer.location(), problems);
    TensorSet tensors = transformer.tensors();
    Initialization fromCheckpoint = new Initialization() {
      @Override
      public AdaptableLinear linear(NDManager m, String module, int in, int out) throws IOException {
        return new AdaptableLinear(m, TensorLoader.load(tensors.get(module + ".weight"), m, device), TensorLoader.load(tensors.get(module + ".bias"), m, device));
      }

      @Override
      public NDArray scale(NDManager m, String module, int dim) throws IOException {
        return TensorLoader.load(tensors.get(module + ".weight"), m, device);
      }
    };
    try {
      return new FluxTransformer(config, parent, device, fromCheckpoint);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The dtype the weights are held in (that of {@code x_embedder.weight}; a loaded checkpoint keeps its stored dtype). */
  public DType weightDType() {
    return TensorLoader.dtypeOf(linears.get(FluxLayout.X_EMBEDDER).weight());
  }

  /** The device the weights are on. */
  public Device device() {
    return manager.getDevice();
  }

  /** Bytes the parameters take on their device: elements × element size, summed over every parameter array. */
  public long weightBytes() {
    long bytes = 0;
    for (NDArray p : parameters().values()) bytes += p.getShape().size() * TensorLoader.dtypeOf(p).bytes();
    return bytes;
  }

  /** The configuration. */
  public FluxConfig config() {
    return config;
  }

  /** The manager owning the weights. */
  public NDManager manager() {
    return manager;
  }

  /**
   * Every linear layer by diffusers module name ({@code transformer_blocks.0.attn.to_q},
   * {@code single_transformer_blocks.3.proj_mlp}, {@code transformer_blocks.0.attn.to_out.0},
   * …) in layout order; unmodifiable.
   */
  public Map<String, AdaptableLinear> linears() {
    return linears;
  }

  /** Every parameter by diffusers tensor name ({@code <module>.weight}, {@code <module>.bias}) in layout order. */
  @Override
  public Map<String, NDArray> parameters() {
    return parameterMap();
  }

  private Map<String, NDArray> parameterMap() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    FluxLayout.walk(config, new FluxLayout.Visitor() {
      @Override
      public void linear(String module, int in, int o) {
        out.put(module + ".weight", linears.get(module).weight());
        out.put(module + ".bias", linears.get(module).bias());
      }

      @Override
      public void rmsNorm(String module, int dim) {
        out.put(module + ".weight", norms.get(module).weight());
      }
    });
    return out;
  }

  /** Parameter names and shapes, same order as {@link #parameters()}. */
  @Override
  public List<TensorSpec> layout() {
    return FluxLayout.of(config).tensors();
  }

  /**
   * Replaces one parameter by diffusers tensor name; the array moves to the model's manager.
   *
   * @throws IllegalArgumentException for an unknown name or a wrong shape
   */
  @Override
  public void setParameter(String name, NDArray value) {
    int dot = name.lastIndexOf('.');
    if (dot < 0) throw new IllegalArgumentException("unknown parameter " + name);
    String module = name.substring(0, dot);
    String kind = name.substring(dot + 1);
    AdaptableLinear linear = linears.get(module);
    if (linear != null && kind.equals("weight")) {
      linear.setWeight(value);
    } else if (linear != null && kind.equals("bias")) {
      linear.setBias(value);
    } else if (norms.containsKey(module) && kind.equals("weight")) {
      norms.get(module).setWeight(value);
    } else {
      throw new IllegalArgumentException("unknown parameter " + name);
    }
  }

  /** The per-model attention knobs used by {@link #forward(NDArray, NDArray, NDArray, NDArray, NDArray, int, int)}. */
  public AttentionSettings attentionSettings() {
    return attention;
  }

  /** Sets the per-model attention knobs (NTK factor, proportional attention, position interpolation). */
  public void setAttentionSettings(AttentionSettings settings) {
    this.attention = Objects.requireNonNull(settings, "settings == null");
  }

  /** How attention is computed as set, {@link AttentionKernel#FUSED} unless set; under {@link Precision#BF16} the fused kernel runs in bf16 ({@link AttentionKernel#under}). */
  public AttentionKernel attentionKernel() {
    return kernel;
  }

  /**
   * Chooses how the linear layers compute with weights stored in bf16: {@link Precision#BF16}
   * runs each product in bf16 on the stored weight (no float32 copy, fused projections included),
   * {@link Precision#FP32} (the default) on a float32 copy made per call. Under BF16, activation
   * checkpointing also keeps its block inputs in bf16 (half the bytes), and the fused attention
   * computes in bf16 ({@link AttentionKernel#under}: float32 in and out). Activations between
   * operators, norms, RoPE, modulation, the loss and adapters stay float32 either way.
   */
  public void setPrecision(Precision precision) {
    for (AdaptableLinear linear : linears.values()) linear.setPrecision(precision);
    this.precision = precision;
  }

  /** Chooses how attention is computed (the explicit kernel is the fused one's oracle, and a benchmark baseline). */
  public void setAttentionKernel(AttentionKernel kernel) {
    this.kernel = Objects.requireNonNull(kernel, "kernel == null");
  }

  /** Double-stream blocks in order (for tests and tools). */
  public List<DoubleStreamBlock> doubleBlocks() {
    return doubleBlocks;
  }

  /** Single-stream blocks in order (for tests and tools). */
  public List<SingleStreamBlock> singleBlocks() {
    return singleBlocks;
  }

  /** Velocity prediction with the model's own attention settings; see the full overload. */
  public NDArray forward(NDArray packedLatents, NDArray txt, NDArray pooled, NDArray sigma, NDArray guidance, int latentH, int latentW) {
    return forward(packedLatents, txt, pooled, sigma, guidance, latentH, latentW, attention);
  }

  /**
   * Predicts the flow-matching velocity {@code ε − x0}.
   *
   * @param packedLatents [B, (H/2)(W/2), inChannels], see {@link Packing}
   * @param txt text sequence embeddings [B, L, jointAttentionDim]
   * @param pooled pooled text embedding [B, pooledProjectionDim]
   * @param sigma noise level in [0, 1], [B] (embedded as 1000·σ)
   * @param guidance guidance scale [B] (embedded as 1000·g); required when the config has a
   *     guidance embedder, ignored otherwise
   * @param latentH latent height H before packing (even)
   * @param latentW latent width W before packing (even)
   * @param settings attention knobs for this call
   * @return the velocity [B, (H/2)(W/2), outChannels]
   */
  public NDArray forward(NDArray packedLatents, NDArray txt, NDArray pooled, NDArray sigma, NDArray guidance, int latentH, int latentW, AttentionSettings settings) {
    Stem stem = stem(packedLatents, txt, pooled, sigma, guidance, latentH, latentW, settings);
    NDList carry = new NDList(stem.img(), stem.txt());
    for (Segment segment : segments(stem)) {
      NDList next = runScoped(segment, carry, stem.siluVec());
      // one carry at a time (autograd keeps what it saved of the previous one)
      carry.close();
      carry = next;
    }
    return head(carry, stem.siluVec(), stem.textTokens());
  }

  /**
   * A training step's forward and backward pass with activation checkpointing: the blocks run
   * once without recording a graph, keeping only each block's input; the backward pass then
   * recomputes one block at a time from its kept input and back-propagates the incoming
   * gradient through it. Peak memory holds one block's graph plus the 57 block inputs instead of
   * every block's graph; the price is a second forward pass of the blocks. Gradients are the
   * same as {@code loss(forward(...))} back-propagated in one piece.
   *
   * <p>Call it inside a {@code GradientCollector}, like a plain forward and backward pass.
   *
   * @param loss maps the velocity prediction to a scalar loss
   * @return the loss (no longer attached to a graph)
   */
  public NDArray forwardBackwardCheckpointed(NDArray packedLatents, NDArray txt, NDArray pooled, NDArray sigma, NDArray guidance,
      int latentH, int latentW, Function<NDArray, NDArray> loss) {
    Stem stem = stem(packedLatents, txt, pooled, sigma, guidance, latentH, latentW, attention);
    return new CheckpointedPass(segments(stem), (carry, siluVec) -> head(carry, siluVec, stem.textTokens()), precision == Precision.BF16).run(new NDList(stem.img(), stem.txt()), stem.siluVec(), loss);
  }

  /** Validated inputs turned into what every block needs: conditioning, positions, scale, embedded streams. */
  private Stem stem(NDArray packedLatents, NDArray txt, NDArray pooled, NDArray sigma, NDArray guidance, int latentH, int latentW,
      AttentionSettings settings) {
    int gridH = latentH / 2;
    int gridW = latentW / 2;
    Shape xs = packedLatents.getShape();
    if (latentH % 2 != 0 || latentW % 2 != 0 || xs.dimension() != 3 || xs.get(1) != (long) gridH * gridW || xs.get(2) != config.inChannels()) {
      throw new IllegalArgumentException("packedLatents must be [B, " + gridH * gridW + ", " + config.inChannels() + "] for a "
          + latentH + "x" + latentW + " latent, got " + xs);
    }
    Shape ts = txt.getShape();
    Shape ps = pooled.getShape();
    if (ts.dimension() != 3 || ts.get(0) != xs.get(0) || ts.get(2) != config.jointAttentionDim()) {
      throw new IllegalArgumentException("txt must be [" + xs.get(0) + ", L, " + config.jointAttentionDim() + "], got " + ts);
    }
    if (ps.dimension() != 2 || ps.get(0) != xs.get(0) || ps.get(1) != config.pooledProjectionDim()) {
      throw new IllegalArgumentException("pooled must be [" + xs.get(0) + ", " + config.pooledProjectionDim() + "], got " + ps);
    }
    int textTokens = Math.toIntExact(ts.get(1));
    NDArray siluVec = Activations.silu(conditioning(sigma, guidance, pooled));
    RotaryEmbedding rope = RotaryEmbedding.create(packedLatents.getManager(), config.axesDimsRope(), config.ropeTheta() * settings.ntkFactor(), textTokens, gridH, gridW,
        settings.positionScale(gridH, gridW));
    float scale = (float) settings.scale(textTokens + gridH * gridW, config.attentionHeadDim());
    NDArray img = linears.get(FluxLayout.X_EMBEDDER).forward(packedLatents);
    NDArray t = linears.get(FluxLayout.CONTEXT_EMBEDDER).forward(txt);
    return new Stem(siluVec, img, t, rope, scale, textTokens);
  }

  /**
   * The blocks as a chain of steps over a carry: (img, txt) through the double-stream blocks,
   * then the join into one [txt, img] sequence, then the single-stream blocks.
   */
  private List<Segment> segments(Stem stem) {
    AttentionKernel kernel = this.kernel.under(precision);
    List<Segment> out = new ArrayList<>();
    for (DoubleStreamBlock block : doubleBlocks) {
      out.add((carry, siluVec) -> block.forward(carry.get(0), carry.get(1), siluVec, stem.rope(), stem.scale(), kernel));
    }
    out.add((carry, siluVec) -> new NDList(carry.get(1).concat(carry.get(0), 1)));
    for (SingleStreamBlock block : singleBlocks) {
      out.add((carry, siluVec) -> new NDList(block.forward(carry.get(0), siluVec, stem.rope(), stem.scale(), kernel)));
    }
    return out;
  }

  /** The image tokens of the final sequence through the final adaLN (scale, shift in diffusers' order) and output projection. */
  private NDArray head(NDList carry, NDArray siluVec, int textTokens) {
    NDArray img = carry.get(0).split(new long[] {textTokens}, 1).get(1);
    NDList m = AdaLayerNorm.chunks(linears.get(FluxLayout.NORM_OUT), siluVec, 2);
    return linears.get(FluxLayout.PROJ_OUT).forward(AdaLayerNorm.modulate(finalNorm, img, m.get(1), m.get(0)));
  }

  /**
   * Runs one segment in its own scope so its intermediates are released as soon as it returns
   * (autograd keeps what the backward pass needs by reference); the outputs move to the caller's scope.
   */
  static NDList runScoped(Segment segment, NDList carry, NDArray siluVec) {
    return Scoped.run(() -> segment.apply(carry, siluVec));
  }

  /** What the stem hands every block. */
  private record Stem(NDArray siluVec, NDArray img, NDArray txt, RotaryEmbedding rope, float scale, int textTokens) {}

  /** One checkpointable step of the block chain: a carry (and the shared conditioning) to the next carry. */
  interface Segment {
    NDList apply(NDList carry, NDArray siluVec);
  }

  /**
   * The conditioning vector {@code vec = t_emb(1000·σ) + g_emb(1000·g) + text_emb(pooled)}, [B, D].
   */
  public NDArray conditioning(NDArray sigma, NDArray guidance, NDArray pooled) {
    NDArray vec = embed(FluxLayout.TIMESTEP_EMBEDDER, timestepProjection(sigma));
    if (config.guidanceEmbeds()) {
      if (guidance == null) throw new IllegalArgumentException("guidance is required: " + config.name() + " has a guidance embedder");
      vec = vec.add(embed(FluxLayout.GUIDANCE_EMBEDDER, timestepProjection(guidance)));
    }
    return vec.add(embed(FluxLayout.TEXT_EMBEDDER, pooled));
  }

  /**
   * The 256-wide sinusoidal embedding of {@code 1000·value}, cosines first
   * ({@code flip_sin_to_cos}), frequencies {@code 10000^(−i/128)}; [B, 256].
   */
  public NDArray timestepProjection(NDArray value) {
    int half = FluxLayout.TIMESTEP_PROJ_DIM / 2;
    NDArray frequencies = value.getManager().create(timestepFrequencies, new Shape(1, half));
    NDArray angles = value.toType(DataType.FLOAT32, false).mul(1000f).reshape(-1, 1).mul(frequencies);
    return angles.cos().concat(angles.sin(), 1);
  }

  private NDArray embed(String module, NDArray x) {
    return linears.get(module + FluxLayout.EMBEDDER_OUT).forward(Activations.silu(linears.get(module + FluxLayout.EMBEDDER_IN).forward(x)));
  }

  private static float[] timestepFrequencies() {
    int half = FluxLayout.TIMESTEP_PROJ_DIM / 2;
    float[] f = new float[half];
    // Same float32 arithmetic as the reference: exp(−ln(10000)·i / half).
    for (int i = 0; i < half; i++) f[i] = (float) Math.exp((float) (-Math.log(10000) * i) / half);
    return f;
  }

  /** Releases every weight. */
  @Override
  public void close() {
    manager.close();
  }

  /** Creates one linear layer and RMSNorm scale; lets the factories choose how weights start. */
  private interface Initialization {
    AdaptableLinear linear(NDManager manager, String module, int in, int out) throws IOException;

    /** The RMSNorm scale for {@code module}, or null to keep ones. */
    default NDArray scale(NDManager manager, String module, int dim) throws IOException {
      return null;
    }
  }
}
