package dev.urae.model.text.t5;

import dev.urae.model.nn.Scoped;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.Device;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.component.ComponentWeights;
import dev.urae.model.component.ConfigJson;
import java.io.IOException;
import dev.urae.model.nn.Activations;
import dev.urae.model.nn.AttentionKernel;
import dev.urae.model.nn.RmsNorm;
import dev.urae.model.nn.ScriptedModule;
import java.util.Map;

/**
 * The T5 v1.1 encoder as transformers' {@code T5EncoderModel} computes it: shared token
 * embedding, pre-norm blocks of self-attention and gated-GELU feed-forward with RMS norms and no
 * biases, a final RMS norm. Attention is not scaled by 1/√d (T5 folds that into its weights);
 * instead every layer adds the same relative-position bias, which the first layer's
 * {@code relative_attention_bias} computes from bidirectional log-spaced distance buckets.
 * FLUX runs it over the padded sequence (512 tokens for dev, 256 for schnell) without an
 * attention mask, so padding tokens are attended to, and so does this class. Computes in
 * float32. Each block runs as one TorchScript call ({@code t5-block.pt}, written by
 * {@code model/scripts/torch_ops.py}): attention through PyTorch's fused kernel with the bias as
 * its float mask, the feed-forward's GELU as one kernel, and every intermediate freed inside
 * PyTorch at once (op by op from the JVM, each would be a fresh allocation kept until its
 * manager closes: the feed-forward alone took 8× PyTorch's time that way).
 */
public final class T5Encoder implements AutoCloseable {
  private static final String RELATIVE_BIAS = "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight";

  private final T5Config config;
  private final NDManager manager;
  private final Map<String, NDArray> w;
  private final BlockPath path;
  /** Per layer, the scripted block's arguments after the hidden state and the bias: eps, then its nine weights. */
  private final NDList[] blockArguments;

  /** How a block is computed. */
  enum BlockPath {
    /** One call of the scripted block per layer: what runs. */
    SCRIPTED,
    /** DJL operator by operator, attention as explicit matmul-softmax-matmul: the test oracle. */
    OPERATORS
  }

  private T5Encoder(T5Config config, Map<String, NDArray> weights, NDManager manager, BlockPath path) {
    this.config = config;
    this.w = weights;
    this.manager = manager;
    this.path = path;
    NDArray eps = manager.create((float) config.layerNormEpsilon());
    this.blockArguments = new NDList[config.numLayers()];
    for (int i = 0; i < config.numLayers(); i++) {
      String p = "encoder.block." + i + ".layer.";
      String a = p + "0.SelfAttention.";
      String f = p + "1.DenseReluDense.";
      blockArguments[i] = new NDList(eps, w.get(p + "0.layer_norm.weight"),
          w.get(a + "q.weight"), w.get(a + "k.weight"), w.get(a + "v.weight"), w.get(a + "o.weight"),
          w.get(p + "1.layer_norm.weight"), w.get(f + "wi_0.weight"), w.get(f + "wi_1.weight"), w.get(f + "wo.weight"));
      // DJL hands a TorchScript module an array whose name contains '.' as an entry of a dict argument
      for (NDArray weight : blockArguments[i]) weight.setName(null);
    }
  }

  /**
   * Loads {@code text_encoder_2/} (config and weights) onto {@code device}, into a sub-manager
   * of {@code parent} that the encoder owns.
   *
   * @throws IOException naming the config key, or listing every tensor problem of the checkpoint
   */
  public static T5Encoder load(Component component, Device device, NDManager parent) throws IOException {
    return load(component, device, parent, BlockPath.SCRIPTED);
  }

  /** As {@link #load(Component, Device, NDManager)}, computing blocks along {@code path} (tests pick the operator oracle). */
  static T5Encoder load(Component component, Device device, NDManager parent, BlockPath path) throws IOException {
    T5Config config = T5Config.from(ConfigJson.of(component));
    NDManager manager = parent.newSubManager(device);
    try {
      return new T5Encoder(config, ComponentWeights.load(component, config, manager), manager, path);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** The configuration. */
  public T5Config config() {
    return config;
  }

  /** Encodes token ids {@code [B, L]}: the last hidden state {@code [B, L, d_model]}, in the ids' manager. */
  public NDArray forward(NDArray ids) {
    if (ids.getShape().dimension() != 2) throw new IllegalArgumentException("ids must be [B, L], got " + ids.getShape());
    int b = (int) ids.getShape().get(0);
    int length = (int) ids.getShape().get(1);
    NDArray longIds = ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
    NDArray x = longIds.getNDArrayInternal().embedding(longIds, w.get("shared.weight"), SparseFormat.DENSE).singletonOrThrow();
    NDArray bias = positionBias(ids.getManager(), length);
    for (int i = 0; i < config.numLayers(); i++) {
      x = path == BlockPath.SCRIPTED ? scriptedBlock(x, i, bias) : block(x, "encoder.block." + i + ".layer.", bias, b, length);
    }
    return norm(x, "encoder.final_layer_norm.weight");
  }

  private NDArray scriptedBlock(NDArray x, int layer, NDArray bias) {
    NDList inputs = new NDList(x, bias);
    inputs.addAll(blockArguments[layer]);
    return Block.MODULE.forward(inputs).singletonOrThrow();
  }

  /** The scripted block loads once per JVM, on first use. */
  private static final class Block {
    static final ScriptedModule MODULE = ScriptedModule.load(T5Encoder.class, "t5-block.pt");
  }

  /**
   * One encoder block operator by operator; its intermediates are freed when it returns, so the native allocator
   * hands the next block memory it already holds instead of fresh pages (a fresh multi-MB page
   * run costs more than the element-wise op that fills it).
   */
  private NDArray block(NDArray x, String p, NDArray bias, int b, int length) {
    return Scoped.runArray(() -> {
      NDArray h = x.add(attention(norm(x, p + "0.layer_norm.weight"), p + "0.SelfAttention.", bias, b, length));
      return h.add(feedForward(norm(h, p + "1.layer_norm.weight"), p + "1.DenseReluDense."));
    });
  }

  private NDArray attention(NDArray h, String p, NDArray bias, int b, int length) {
    int heads = config.numHeads();
    int d = config.dKv();
    NDArray q = linear(h, p + "q.weight").reshape(b, length, heads, d);
    NDArray k = linear(h, p + "k.weight").reshape(b, length, heads, d);
    NDArray v = linear(h, p + "v.weight").reshape(b, length, heads, d);
    return linear(AttentionKernel.EXPLICIT.attend(q, k, v, bias), p + "o.weight");
  }

  private NDArray feedForward(NDArray h, String p) {
    NDArray gate = Activations.geluTanh(linear(h, p + "wi_0.weight"));
    return linear(gate.mul(linear(h, p + "wi_1.weight")), p + "wo.weight");
  }

  /** The bias {@code [1, heads, L, L]} every layer adds to its attention scores. */
  private NDArray positionBias(NDManager target, int length) {
    long[] buckets = new long[length * length];
    for (int q = 0; q < length; q++) {
      for (int k = 0; k < length; k++) {
        buckets[q * length + k] = bucket(k - q, config.relativeAttentionNumBuckets(), config.relativeAttentionMaxDistance());
      }
    }
    NDArray index = target.create(buckets, new Shape(length, length));
    NDArray values = index.getNDArrayInternal().embedding(index, w.get(RELATIVE_BIAS), SparseFormat.DENSE).singletonOrThrow();
    // reshape copies the transposed view into one contiguous block, added once per layer
    return values.transpose(2, 0, 1).reshape(1, config.numHeads(), length, length);
  }

  /**
   * T5's bidirectional bucket of a key-minus-query distance: half the buckets for keys after
   * the query; within a half, distances below a quarter of the buckets get one bucket each, the
   * rest share log-spaced buckets up to {@code maxDistance}. Computed in float32 as transformers
   * does, so the integer cut-offs agree exactly.
   */
  static int bucket(int relativePosition, int numBuckets, int maxDistance) {
    int half = numBuckets / 2;
    int bucket = relativePosition > 0 ? half : 0;
    int distance = Math.abs(relativePosition);
    int maxExact = half / 2;
    if (distance < maxExact) return bucket + distance;
    float log = (float) Math.log((float) distance / (float) maxExact);
    float span = (float) Math.log((double) maxDistance / maxExact);
    int large = maxExact + (int) (log / span * (float) (half - maxExact));
    return bucket + Math.min(large, half - 1);
  }

  private NDArray norm(NDArray x, String weight) {
    return RmsNorm.normalize(x, (float) config.layerNormEpsilon()).mul(w.get(weight));
  }

  private NDArray linear(NDArray x, String weight) {
    return x.getNDArrayInternal().linear(x, w.get(weight), null).singletonOrThrow();
  }

  @Override
  public void close() {
    manager.close();
  }
}
