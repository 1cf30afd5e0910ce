package dev.urae.model.text.clip;

import dev.urae.model.nn.Scoped;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.Device;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.component.ComponentWeights;
import dev.urae.model.component.ConfigJson;
import java.io.IOException;
import dev.urae.model.nn.AttentionKernel;
import dev.urae.model.nn.Constants;
import java.util.Map;

/**
 * CLIP's text transformer as transformers' {@code CLIPTextModel} computes it: token plus
 * position embeddings, pre-norm layers (causal self-attention, then an MLP with quick-GELU),
 * a final layer norm, and the pooled output taken at the end-of-text token. FLUX feeds it the
 * padded 77-token sequence without an attention mask (only the causal mask applies) and uses
 * the pooled vector. Computes in float32; weights stored as bf16/f16 are widened once on load.
 *
 * <p>Pooling follows transformers: with the legacy config {@code eos_token_id == 2} (the
 * original OpenAI configs, FLUX's included) the end-of-text position is the first occurrence of
 * the highest token id in the row (CLIP's {@code <|endoftext|>} is the last id of its vocabulary);
 * otherwise the first occurrence of {@code eos_token_id}.
 */
public final class ClipTextModel implements AutoCloseable {
  private static final float QUICK_GELU = 1.702f;

  private final ClipTextConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> w;

  private ClipTextModel(ClipTextConfig config, Map<String, NDArray> weights, NDManager manager) {
    this.config = config;
    this.w = weights;
    this.manager = manager;
  }

  /**
   * Loads {@code text_encoder/} (config and weights) onto {@code device}, into a sub-manager of
   * {@code parent} that the model owns.
   *
   * @throws IOException naming the config key, or listing every tensor problem of the checkpoint
   */
  public static ClipTextModel load(Component component, Device device, NDManager parent) throws IOException {
    ClipTextConfig config = ClipTextConfig.from(ConfigJson.of(component));
    NDManager manager = parent.newSubManager(device);
    try {
      return new ClipTextModel(config, ComponentWeights.load(component, config, manager), manager);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** The configuration. */
  public ClipTextConfig config() {
    return config;
  }

  /**
   * Encodes token ids {@code [B, L]} (int64; L ≤ max_position_embeddings): the last hidden
   * state {@code [B, L, hidden]} and the pooled output {@code [B, hidden]}, in the ids' manager.
   */
  public NDList forward(NDArray ids) {
    if (ids.getShape().dimension() != 2) throw new IllegalArgumentException("ids must be [B, L], got " + ids.getShape());
    int b = (int) ids.getShape().get(0);
    int length = (int) ids.getShape().get(1);
    if (length > config.maxPositions()) throw new IllegalArgumentException(length + " tokens exceed max_position_embeddings " + config.maxPositions());
    NDManager target = ids.getManager();
    NDArray longIds = ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);

    // Embeddings: tokens plus the first L learned positions.
    NDArray x = longIds.getNDArrayInternal().embedding(longIds, w.get("text_model.embeddings.token_embedding.weight"), SparseFormat.DENSE).singletonOrThrow();
    x = x.add(w.get("text_model.embeddings.position_embedding.weight").get(new NDIndex("0:{}", length)));

    // Causal mask: position i attends to positions ≤ i.
    float[] maskValues = new float[length * length];
    for (int i = 0; i < length; i++) for (int j = i + 1; j < length; j++) maskValues[i * length + j] = Float.NEGATIVE_INFINITY;
    NDArray mask = target.create(maskValues, new Shape(1, 1, length, length));

    for (int i = 0; i < config.numLayers(); i++) x = layer(x, "text_model.encoder.layers." + i + ".", mask, b, length);
    NDArray hidden = layerNorm(x, "text_model.final_layer_norm");
    return new NDList(hidden, pool(hidden, longIds, b, length));
  }

  /**
   * One encoder layer; its intermediates are freed when it returns, so the native allocator hands
   * the next layer memory it already holds instead of fresh pages (as in {@code T5Encoder}).
   */
  private NDArray layer(NDArray x, String p, NDArray mask, int b, int length) {
    return Scoped.runArray(() -> {
      NDArray h = x.add(attention(layerNorm(x, p + "layer_norm1"), p + "self_attn.", mask, b, length));
      return h.add(mlp(layerNorm(h, p + "layer_norm2"), p + "mlp."));
    });
  }

  /** Causal self-attention through PyTorch's fused kernel, the mask as its additive bias and the scale folded into q. */
  private NDArray attention(NDArray h, String p, NDArray mask, int b, int length) {
    int heads = config.numHeads();
    int d = config.headDim();
    NDArray q = Constants.times(linear(h, p + "q_proj"), (float) (1 / Math.sqrt(d))).reshape(b, length, heads, d);
    NDArray k = linear(h, p + "k_proj").reshape(b, length, heads, d);
    NDArray v = linear(h, p + "v_proj").reshape(b, length, heads, d);
    return linear(AttentionKernel.FUSED.attend(q, k, v, mask), p + "out_proj");
  }

  private NDArray mlp(NDArray h, String p) {
    NDArray a = linear(h, p + "fc1");
    a = config.hiddenAct().equals("quick_gelu") ? a.mul(Constants.times(a, QUICK_GELU).getNDArrayInternal().sigmoid()) : Activation.gelu(a);
    return linear(a, p + "fc2");
  }

  /** The hidden state at each row's end-of-text position (see the class comment). */
  private NDArray pool(NDArray hidden, NDArray ids, int b, int length) {
    long[] rows = ids.toLongArray();
    long[] flat = new long[b];
    for (int r = 0; r < b; r++) {
      int at = -1;
      if (config.eosTokenId() == 2) {
        long best = Long.MIN_VALUE;
        for (int j = 0; j < length; j++) if (rows[r * length + j] > best) { best = rows[r * length + j]; at = j; }
      } else {
        for (int j = 0; j < length && at < 0; j++) if (rows[r * length + j] == config.eosTokenId()) at = j;
        // transformers' argmax over an all-false row picks position 0.
        if (at < 0) at = 0;
      }
      flat[r] = (long) r * length + at;
    }
    NDArray index = hidden.getManager().create(flat);
    return hidden.reshape(b * (long) length, config.hiddenSize()).get(index);
  }

  private NDArray linear(NDArray x, String module) {
    return x.getNDArrayInternal().linear(x, w.get(module + ".weight"), w.get(module + ".bias")).singletonOrThrow();
  }

  private NDArray layerNorm(NDArray x, String module) {
    return x.getNDArrayInternal()
        .layerNorm(x, new Shape(config.hiddenSize()), w.get(module + ".weight"), w.get(module + ".bias"), (float) config.layerNormEps())
        .singletonOrThrow();
  }

  @Override
  public void close() {
    manager.close();
  }
}
