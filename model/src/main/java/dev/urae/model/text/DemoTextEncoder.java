package dev.urae.model.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.nn.Activations;
import dev.urae.model.nn.Constants;
import dev.urae.model.nn.RmsNorm;
import dev.urae.model.tensors.NamedParameters;
import dev.urae.model.tensors.TensorSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo world's text encoder, trainable with the base model: token embeddings, then {@value
 * #LAYERS} pre-norm transformer layers (multi-head self-attention over the real tokens with a
 * learned relative-position bias, then a GELU MLP), then an RMS normalisation, give the sequence
 * {@code [L, D]}; the pooled vector is a linear map of the mean of the real tokens' features.
 *
 * <p>Why this shape: the base model must bind each colour, texture and shape to its own object
 * ("a large yellow square at the top right and a large blue triangle at the top left"). The image
 * tokens at the top right find their object through the position words, so those words must
 * carry the attributes said a few words earlier in the same phrase, and not those of the other
 * phrase. A relative-position bias makes "look a few words back" one learned number per head and
 * offset (started as ALiBi's distance penalty, so every head begins local); the earlier encoder
 * (one single-head layer, learned absolute positions) placed the objects right but gave them each
 * other's colours. Word order is kept in every output: swapping the colours of two objects
 * changes every feature, the pooled vector included (a mean of token embeddings alone would be
 * the same bag of words).
 *
 * <p>Weights save and load by name through {@link dev.urae.model.tensors.ModelWeights}: {@code
 * token_embedding.weight [V, D]}; per layer {@code i}: {@code layers.i.attention.to_q|to_k|to_v|to_out.weight
 * [D, D]}, {@code layers.i.attention.relative_bias [2R+1, H]} (offset −R…R, R = {@value
 * #MAX_OFFSET}, farther offsets share the end values), {@code layers.i.mlp.fc1.weight [2D, D]},
 * {@code layers.i.mlp.fc1.bias [2D]}, {@code layers.i.mlp.fc2.weight [D, 2D]}, {@code
 * layers.i.mlp.fc2.bias [D]}; {@code pooled_projection.weight [P, D]}, {@code pooled_projection.bias [P]}.
 */
public final class DemoTextEncoder implements TextEncoder, NamedParameters, AutoCloseable {
  /** Transformer layers. */
  static final int LAYERS = 2;
  /** Attention heads per layer. */
  static final int HEADS = 4;
  /** Offsets farther than this many tokens share one relative-position bias. */
  static final int MAX_OFFSET = 8;
  /** MLP width as a multiple of the sequence width. */
  private static final int MLP_RATIO = 2;
  private static final float NORM_EPS = 1e-6f;
  private static final String[] ATTENTION = {"to_q", "to_k", "to_v", "to_out"};
  /** Added to the attention scores of pad keys: they get no weight unless every key is a pad. */
  private static final float PAD_SCORE = -1e4f;
  private final Vocabulary vocabulary;
  private final int maxLength;
  private final int sequenceDim;
  private final int pooledDim;
  private final NDManager manager;
  private final Map<String, NDArray> parameters = new LinkedHashMap<>();
  /** For every (query i, key j) pair, row-major: the bias row of offset j − i, clamped to ±{@value #MAX_OFFSET}. */
  private final long[] offsetBuckets;
  private boolean trainable;

  private DemoTextEncoder(Vocabulary vocabulary, int maxLength, int sequenceDim, int pooledDim, NDManager parent, long seed) {
    if (maxLength <= 0) throw new IllegalArgumentException("maxLength must be positive, got " + maxLength);
    if (sequenceDim <= 0 || sequenceDim % HEADS != 0) {
      throw new IllegalArgumentException("sequenceDim must be a positive multiple of " + HEADS + " (the attention heads), got " + sequenceDim);
    }
    if (pooledDim <= 0) throw new IllegalArgumentException("pooledDim must be positive, got " + pooledDim);
    this.vocabulary = vocabulary;
    this.maxLength = maxLength;
    this.sequenceDim = sequenceDim;
    this.pooledDim = pooledDim;
    this.manager = parent.newSubManager();
    this.offsetBuckets = offsetBuckets(maxLength);
    SeededRandom random = SeededRandom.seeded(seed);
    int d = sequenceDim;
    int hidden = MLP_RATIO * d;
    float bound = (float) (1 / Math.sqrt(d));
    put("token_embedding.weight", random.gaussians(vocabulary.size() * d), vocabulary.size(), d);
    for (int layer = 0; layer < LAYERS; layer++) {
      String prefix = "layers." + layer + ".";
      for (String projection : ATTENTION) {
        put(prefix + "attention." + projection + ".weight", random.uniforms(d * d, projection.equals("to_out") ? 0.5f * bound : bound), d, d);
      }
      put(prefix + "attention.relative_bias", alibi(), 2 * MAX_OFFSET + 1, HEADS);
      put(prefix + "mlp.fc1.weight", random.uniforms(hidden * d, bound), hidden, d);
      put(prefix + "mlp.fc1.bias", new float[hidden], hidden);
      put(prefix + "mlp.fc2.weight", random.uniforms(d * hidden, (float) (0.5 / Math.sqrt(hidden))), d, hidden);
      put(prefix + "mlp.fc2.bias", new float[d], d);
    }
    put("pooled_projection.weight", random.uniforms(pooledDim * d, bound), pooledDim, d);
    put("pooled_projection.bias", random.uniforms(pooledDim, bound), pooledDim);
  }

  private void put(String name, float[] values, long... shape) {
    parameters.put(name, manager.create(values, new Shape(shape)));
  }

  /** ALiBi's start: head h penalises distance by 2^−h per token, so every head starts by looking nearby. */
  private static float[] alibi() {
    float[] bias = new float[(2 * MAX_OFFSET + 1) * HEADS];
    for (int offset = -MAX_OFFSET; offset <= MAX_OFFSET; offset++) {
      for (int head = 0; head < HEADS; head++) bias[(offset + MAX_OFFSET) * HEADS + head] = -Math.abs(offset) / (float) (1 << head);
    }
    return bias;
  }

  /**
   * An encoder over {@code vocabulary} with seeded random weights: token embeddings ~ N(0, 1),
   * attention and MLP input projections and the pooled projection ~ U(±1/√D), output projections
   * ~ U(±0.5/√fan-in), MLP biases zero, relative-position biases at ALiBi's distance penalty.
   */
  public static DemoTextEncoder create(Vocabulary vocabulary, int maxLength, int sequenceDim, int pooledDim, long seed, NDManager parent) {
    return new DemoTextEncoder(vocabulary, maxLength, sequenceDim, pooledDim, parent, seed);
  }

  @Override
  public TextEmbedding encode(String prompt, NDManager target) {
    NDList batch = encodeBatch(List.of(prompt), target);
    return new TextEmbedding(batch.get(0).squeeze(0), batch.get(1).squeeze(0));
  }

  /** Encodes prompts as a batch: sequence {@code [B, L, D]} and pooled {@code [B, P]}. */
  public NDList encodeBatch(List<String> prompts, NDManager target) {
    int b = prompts.size();
    long[] ids = new long[b * maxLength];
    float[] mask = new float[b * maxLength];
    float[] keyScores = new float[b * maxLength];
    float[] inverseCount = new float[b];
    for (int i = 0; i < b; i++) {
      long[] row = vocabulary.encode(prompts.get(i), maxLength);
      System.arraycopy(row, 0, ids, i * maxLength, maxLength);
      int count = 0;
      for (int j = 0; j < maxLength; j++) {
        if (row[j] != Vocabulary.PAD_ID) {
          mask[i * maxLength + j] = 1;
          count++;
        } else {
          keyScores[i * maxLength + j] = PAD_SCORE;
        }
      }
      inverseCount[i] = 1f / Math.max(count, 1);
    }
    NDArray idArray = target.create(ids, new Shape(b, maxLength));
    // Start from the ids so results land in the target manager.
    NDArray h = lookup(idArray, parameters.get("token_embedding.weight"));
    NDArray padScores = target.create(keyScores, new Shape(b, 1, 1, maxLength));
    NDArray offsets = target.create(offsetBuckets, new Shape(maxLength * maxLength));
    for (int layer = 0; layer < LAYERS; layer++) {
      String prefix = "layers." + layer + ".";
      h = h.add(attend(prefix, RmsNorm.normalize(h, NORM_EPS), padScores, offsets));
      h = h.add(mlp(prefix, RmsNorm.normalize(h, NORM_EPS)));
    }
    NDArray sequence = RmsNorm.normalize(h, NORM_EPS);
    NDArray mean = sequence.mul(target.create(mask, new Shape(b, maxLength, 1))).sum(new int[] {1}).mul(target.create(inverseCount, new Shape(b, 1)));
    NDArray pooled = linear(mean, "pooled_projection.weight", "pooled_projection.bias");
    return new NDList(sequence, pooled);
  }

  private static long[] offsetBuckets(int maxLength) {
    long[] buckets = new long[maxLength * maxLength];
    for (int i = 0; i < maxLength; i++) {
      for (int j = 0; j < maxLength; j++) buckets[i * maxLength + j] = Math.max(-MAX_OFFSET, Math.min(MAX_OFFSET, j - i)) + MAX_OFFSET;
    }
    return buckets;
  }

  /** Multi-head self-attention of {@code x [B, L, D]} with the layer's relative-position bias; {@code padScores [B, 1, 1, L]} masks the pad keys. */
  private NDArray attend(String prefix, NDArray x, NDArray padScores, NDArray offsets) {
    long b = x.getShape().get(0);
    int headDim = sequenceDim / HEADS;
    NDArray q = heads(linear(x, prefix + "attention.to_q.weight", null), b, headDim);
    NDArray k = heads(linear(x, prefix + "attention.to_k.weight", null), b, headDim);
    NDArray v = heads(linear(x, prefix + "attention.to_v.weight", null), b, headDim);
    NDArray bias = lookup(offsets, parameters.get(prefix + "attention.relative_bias")).reshape(maxLength, maxLength, HEADS).transpose(2, 0, 1);
    NDArray scores = Constants.times(q.matMul(k.transpose(0, 1, 3, 2)), (float) (1 / Math.sqrt(headDim)));
    NDArray weights = scores.add(bias).add(padScores).softmax(-1);
    NDArray out = weights.matMul(v).transpose(0, 2, 1, 3).reshape(b, maxLength, sequenceDim);
    return linear(out, prefix + "attention.to_out.weight", null);
  }

  /** {@code [B, L, D]} to {@code [B, H, L, D/H]}. */
  private NDArray heads(NDArray x, long b, int headDim) {
    return x.reshape(b, maxLength, HEADS, headDim).transpose(0, 2, 1, 3);
  }

  private NDArray mlp(String prefix, NDArray x) {
    NDArray hidden = Activations.geluTanh(linear(x, prefix + "mlp.fc1.weight", prefix + "mlp.fc1.bias"));
    return linear(hidden, prefix + "mlp.fc2.weight", prefix + "mlp.fc2.bias");
  }

  private NDArray linear(NDArray x, String weight, String bias) {
    return x.getNDArrayInternal().linear(x, parameters.get(weight), bias == null ? null : parameters.get(bias)).singletonOrThrow();
  }

  /** Rows of {@code table} picked by {@code ids}; differentiable in the table. */
  private static NDArray lookup(NDArray ids, NDArray table) {
    return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
  }

  /**
   * Marks every weight as requiring (or not) a gradient; when trainable, {@link
   * #trainableParameters()} is what an optimizer updates.
   */
  public void setTrainable(boolean value) {
    this.trainable = value;
    for (NDArray p : parameters.values()) p.setRequiresGradient(value);
  }

  /** The weights when trainable, otherwise an empty list. */
  public List<NDArray> trainableParameters() {
    return trainable ? new ArrayList<>(parameters.values()) : List.of();
  }

  /** The vocabulary. */
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  @Override
  public int sequenceDim() {
    return sequenceDim;
  }

  @Override
  public int pooledDim() {
    return pooledDim;
  }

  @Override
  public int maxLength() {
    return maxLength;
  }

  @Override
  public List<TensorSpec> layout() {
    List<TensorSpec> out = new ArrayList<>();
    parameters.forEach((name, array) -> out.add(new TensorSpec(name, array.getShape())));
    return out;
  }

  @Override
  public Map<String, NDArray> parameters() {
    return new LinkedHashMap<>(parameters);
  }

  @Override
  public void setParameter(String name, NDArray value) {
    NDArray previous = parameters.get(name);
    if (previous == null) throw new IllegalArgumentException("unknown parameter " + name);
    if (!previous.getShape().equals(value.getShape())) {
      throw new IllegalArgumentException(name + " must have shape " + previous.getShape() + ", got " + value.getShape());
    }
    NDArray array = value.getDataType() == DataType.FLOAT32 ? value : value.toType(DataType.FLOAT32, false);
    array.attach(manager);
    NDScope.unregister(array);
    if (trainable) array.setRequiresGradient(true);
    parameters.put(name, array);
    if (previous != value) previous.close();
  }

  @Override
  public void close() {
    manager.close();
  }

  /** Stacks single embeddings into a batch ([B, L, D], [B, P]). */
  public static NDList stack(List<TextEmbedding> embeddings) {
    NDList seq = new NDList();
    NDList pooled = new NDList();
    for (TextEmbedding e : embeddings) {
      seq.add(e.sequence());
      pooled.add(e.pooled());
    }
    return new NDList(NDArrays.stack(seq, 0), NDArrays.stack(pooled, 0));
  }
}
