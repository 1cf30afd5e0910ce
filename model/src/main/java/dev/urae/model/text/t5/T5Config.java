package dev.urae.model.text.t5;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.model.component.ComponentConfig;
import dev.urae.model.component.ConfigJson;
import dev.urae.model.tensors.TensorSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A T5 v1.1 encoder's configuration, as transformers' {@code T5Config} writes it in
 * {@code text_encoder_2/config.json}. Only the gated-GELU feed-forward of v1.1 is supported
 * (what FLUX uses); the original T5's ReLU feed-forward is refused by name. {@link #FLUX_DEV}
 * is T5 v1.1 XXL as FLUX.1 ships it; {@link #TINY} keeps its vocabulary with a small body.
 *
 * @param dKv width of one attention head; {@code numHeads · dKv} need not equal {@code dModel}
 */
public record T5Config(
    int vocabSize, int dModel, int dKv, int dFf, int numLayers, int numHeads,
    int relativeAttentionNumBuckets, int relativeAttentionMaxDistance, double layerNormEpsilon)
    implements ComponentConfig {

  /** The one feed-forward this encoder computes: {@code wo(gelu_tanh(wi_0 x) · wi_1 x)}. */
  public static final String FEED_FORWARD = "gated-gelu";

  /** T5 v1.1 XXL as in FLUX.1's {@code text_encoder_2/}. */
  public static final T5Config FLUX_DEV = new T5Config(32128, 4096, 64, 10240, 24, 64, 32, 128, 1e-6);
  /** Real vocabulary, tiny body. */
  public static final T5Config TINY = new T5Config(32128, 32, 8, 64, 2, 4, 32, 128, 1e-6);

  private static final String SHARED = "shared.weight";
  private static final String EMBED_TOKENS = "encoder.embed_tokens.weight";

  public T5Config {
    if (vocabSize <= 0 || dModel <= 0 || dKv <= 0 || dFf <= 0 || numLayers <= 0 || numHeads <= 0
        || relativeAttentionNumBuckets <= 1 || relativeAttentionMaxDistance <= 0) {
      throw new IllegalArgumentException("T5 config sizes must be positive: " + this);
    }
  }

  /** Reads {@code text_encoder_2/config.json}; absent keys take transformers' defaults. */
  public static T5Config read(Path file) throws IOException {
    return from(ConfigJson.read(file));
  }

  /** The configuration in {@code json}; absent keys take transformers' defaults. */
  public static T5Config from(ConfigJson json) {
    String ff = json.string("feed_forward_proj", "relu");
    if (!ff.equals(FEED_FORWARD)) throw json.invalid("feed_forward_proj", "\"" + FEED_FORWARD + "\" (T5 v1.1, as FLUX uses it)", "\"" + ff + "\"");
    int buckets = json.positive("relative_attention_num_buckets", 32);
    if (buckets < 2) throw json.invalid("relative_attention_num_buckets", "at least 2", buckets);
    return new T5Config(
        json.positive("vocab_size", 32128), json.positive("d_model", 512), json.positive("d_kv", 64),
        json.positive("d_ff", 2048), json.positive("num_layers", 6), json.positive("num_heads", 8),
        buckets, json.positive("relative_attention_max_distance", 128), json.number("layer_norm_epsilon", 1e-6));
  }

  /** Width of q, k, v over all heads. */
  public int innerDim() {
    return numHeads * dKv;
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode n = ConfigJson.MAPPER.createObjectNode();
    n.putArray("architectures").add("T5EncoderModel");
    n.put("model_type", "t5");
    n.put("vocab_size", vocabSize);
    n.put("d_model", dModel);
    n.put("d_kv", dKv);
    n.put("d_ff", dFf);
    n.put("num_layers", numLayers);
    n.put("num_decoder_layers", numLayers);
    n.put("num_heads", numHeads);
    n.put("relative_attention_num_buckets", relativeAttentionNumBuckets);
    n.put("relative_attention_max_distance", relativeAttentionMaxDistance);
    n.put("layer_norm_epsilon", layerNormEpsilon);
    n.put("feed_forward_proj", FEED_FORWARD);
    n.put("dense_act_fn", "gelu_new");
    n.put("is_gated_act", true);
    n.put("dropout_rate", 0.1);
    n.put("initializer_factor", 1.0);
    n.put("is_encoder_decoder", true);
    n.put("tie_word_embeddings", false);
    n.put("pad_token_id", 0);
    n.put("eos_token_id", 1);
    n.put("decoder_start_token_id", 0);
    return n;
  }

  @Override
  public List<TensorSpec> layout() {
    List<TensorSpec> out = new ArrayList<>();
    out.add(new TensorSpec(SHARED, new Shape(vocabSize, dModel)));
    for (int i = 0; i < numLayers; i++) {
      String b = "encoder.block." + i + ".layer.";
      for (String p : new String[] {"q", "k", "v"}) out.add(new TensorSpec(b + "0.SelfAttention." + p + ".weight", new Shape(innerDim(), dModel)));
      out.add(new TensorSpec(b + "0.SelfAttention.o.weight", new Shape(dModel, innerDim())));
      if (i == 0) out.add(new TensorSpec(b + "0.SelfAttention.relative_attention_bias.weight", new Shape(relativeAttentionNumBuckets, numHeads)));
      out.add(new TensorSpec(b + "0.layer_norm.weight", new Shape(dModel)));
      out.add(new TensorSpec(b + "1.DenseReluDense.wi_0.weight", new Shape(dFf, dModel)));
      out.add(new TensorSpec(b + "1.DenseReluDense.wi_1.weight", new Shape(dFf, dModel)));
      out.add(new TensorSpec(b + "1.DenseReluDense.wo.weight", new Shape(dModel, dFf)));
      out.add(new TensorSpec(b + "1.layer_norm.weight", new Shape(dModel)));
    }
    out.add(new TensorSpec("encoder.final_layer_norm.weight", new Shape(dModel)));
    return out;
  }

  /** The token embedding is {@code shared.weight}, tied to {@code encoder.embed_tokens.weight}; either may be stored. */
  @Override
  public String storedName(String name, Set<String> stored) {
    return name.equals(SHARED) && !stored.contains(SHARED) && stored.contains(EMBED_TOKENS) ? EMBED_TOKENS : name;
  }

  @Override
  public boolean ignorable(String storedName) {
    return storedName.equals(EMBED_TOKENS);
  }

  @Override
  public String weightsFileName() {
    return "model.safetensors";
  }
}
