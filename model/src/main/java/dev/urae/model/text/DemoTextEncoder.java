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
import dev.urae.model.tensors.NamedParameters;
import dev.urae.model.tensors.TensorSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo world's text encoder, trainable with the base model: token embeddings plus learned
 * position embeddings, then one residual self-attention layer over the real (non-pad) tokens,
 * give the sequence {@code [L, D]}; the pooled vector is a linear map of the mean of the real
 * tokens' attended features. The attention layer is what keeps word order in both outputs:
 * each colour word's feature mixes in the shape word next to it, so "a yellow square and a
 * blue triangle" and "a blue square and a yellow triangle" differ in every output, the pooled
 * vector included (a mean of token embeddings alone would be the same bag of words). Weights
 * save and load by name through {@link dev.urae.model.tensors.ModelWeights}: {@code
 * token_embedding.weight [V, D]}, {@code position_embedding.weight [L, D]}, {@code
 * attention.to_q|to_k|to_v|to_out.weight [D, D]}, {@code pooled_projection.weight [P, D]},
 * {@code pooled_projection.bias [P]}.
 */
public final class DemoTextEncoder implements TextEncoder, NamedParameters, AutoCloseable {
  private static final String[] ATTENTION = {"to_q", "to_k", "to_v", "to_out"};
  /** Added to the attention scores of pad keys: they get no weight unless every key is a pad. */
  private static final float PAD_SCORE = -1e4f;
  private final Vocabulary vocabulary;
  private final int maxLength;
  private final int sequenceDim;
  private final int pooledDim;
  private final NDManager manager;
  private final Map<String, NDArray> parameters = new LinkedHashMap<>();
  private boolean trainable;

  private DemoTextEncoder(Vocabulary vocabulary, int maxLength, int sequenceDim, int pooledDim, NDManager parent, long seed) {
    if (maxLength <= 0) throw new IllegalArgumentException("maxLength must be positive, got " + maxLength);
    if (sequenceDim <= 0) throw new IllegalArgumentException("sequenceDim must be positive, got " + sequenceDim);
    if (pooledDim <= 0) throw new IllegalArgumentException("pooledDim must be positive, got " + pooledDim);
    this.vocabulary = vocabulary;
    this.maxLength = maxLength;
    this.sequenceDim = sequenceDim;
    this.pooledDim = pooledDim;
    this.manager = parent.newSubManager();
    SeededRandom random = SeededRandom.seeded(seed);
    float[] tokens = random.gaussians(vocabulary.size() * sequenceDim);
    float[] positions = scaled(random.gaussians(maxLength * sequenceDim), 0.5f);
    float bound = (float) (1 / Math.sqrt(sequenceDim));
    parameters.put("token_embedding.weight", manager.create(tokens, new Shape(vocabulary.size(), sequenceDim)));
    parameters.put("position_embedding.weight", manager.create(positions, new Shape(maxLength, sequenceDim)));
    for (String projection : ATTENTION) {
      // Queries carry the 1/√D score scale in their initial weights (no constant on the training path).
      float scale = projection.equals("to_q") ? bound * bound : projection.equals("to_out") ? 0.5f * bound : bound;
      parameters.put("attention." + projection + ".weight", manager.create(random.uniforms(sequenceDim * sequenceDim, scale), new Shape(sequenceDim, sequenceDim)));
    }
    parameters.put("pooled_projection.weight", manager.create(random.uniforms(pooledDim * sequenceDim, bound), new Shape(pooledDim, sequenceDim)));
    parameters.put("pooled_projection.bias", manager.create(random.uniforms(pooledDim, bound), new Shape(pooledDim)));
  }

  /**
   * An encoder over {@code vocabulary} with seeded random weights: token embeddings ~ N(0, 1),
   * positions ~ N(0, 0.25), key and value projections and the pooled projection ~ U(±1/√D),
   * queries ~ U(±1/D), the attention output ~ U(±0.5/√D).
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
    NDArray tokens = idArray.getNDArrayInternal().embedding(idArray, parameters.get("token_embedding.weight"), SparseFormat.DENSE).singletonOrThrow();
    NDArray embedded = tokens.add(parameters.get("position_embedding.weight"));
    NDArray sequence = embedded.add(attend(embedded, target.create(keyScores, new Shape(b, 1, maxLength))));
    NDArray mean = sequence.mul(target.create(mask, new Shape(b, maxLength, 1))).sum(new int[] {1}).mul(target.create(inverseCount, new Shape(b, 1)));
    NDArray pooled = mean.getNDArrayInternal().linear(mean, parameters.get("pooled_projection.weight"), parameters.get("pooled_projection.bias")).singletonOrThrow();
    return new NDList(sequence, pooled);
  }

  /** Single-head self-attention of {@code x [B, L, D]}; {@code keyScores [B, 1, L]} masks the pad keys. */
  private NDArray attend(NDArray x, NDArray keyScores) {
    NDArray q = project(x, "to_q");
    NDArray k = project(x, "to_k");
    NDArray v = project(x, "to_v");
    NDArray weights = q.matMul(k.transpose(0, 2, 1)).add(keyScores).softmax(-1);
    return project(weights.matMul(v), "to_out");
  }

  private NDArray project(NDArray x, String projection) {
    return x.getNDArrayInternal().linear(x, parameters.get("attention." + projection + ".weight"), null).singletonOrThrow();
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

  private static float[] scaled(float[] values, float factor) {
    for (int i = 0; i < values.length; i++) values[i] *= factor;
    return values;
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
