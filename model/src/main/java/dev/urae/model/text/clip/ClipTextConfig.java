package dev.urae.model.text.clip;

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
 * A CLIP text model's configuration, as transformers' {@code CLIPTextConfig} writes it in
 * {@code text_encoder/config.json}. {@link #FLUX_DEV} is CLIP ViT-L/14's text tower as FLUX.1
 * ships it; {@link #TINY} keeps CLIP's vocabulary (so the real tokenizer fits) with a 32-wide,
 * two-layer body for tests and dry runs.
 *
 * @param eosTokenId the config's end-of-text id; the value 2 is the legacy one of the original
 *     OpenAI configs, for which transformers pools at the highest token id instead (see {@link
 *     ClipTextModel})
 */
public record ClipTextConfig(
    int vocabSize, int hiddenSize, int intermediateSize, int numLayers, int numHeads, int maxPositions,
    String hiddenAct, double layerNormEps, int bosTokenId, int eosTokenId, int padTokenId, int projectionDim)
    implements ComponentConfig {

  /** Activations transformers' CLIP accepts and this implementation computes. */
  public static final Set<String> ACTIVATIONS = Set.of("quick_gelu", "gelu");

  /** CLIP-L as in FLUX.1-dev's and FLUX.1-schnell's {@code text_encoder/}. */
  public static final ClipTextConfig FLUX_DEV = new ClipTextConfig(49408, 768, 3072, 12, 12, 77, "quick_gelu", 1e-5, 0, 2, 1, 768);
  /** Real vocabulary and sequence length, tiny body. */
  public static final ClipTextConfig TINY = new ClipTextConfig(49408, 32, 64, 2, 2, 77, "quick_gelu", 1e-5, 0, 2, 1, 32);

  private static final String PREFIX = "text_model.";

  public ClipTextConfig {
    if (vocabSize <= 0 || hiddenSize <= 0 || intermediateSize <= 0 || numLayers <= 0 || numHeads <= 0 || maxPositions <= 0) {
      throw new IllegalArgumentException("CLIP text config sizes must be positive: " + this);
    }
    if (hiddenSize % numHeads != 0) throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not divisible by num_attention_heads " + numHeads);
    if (!ACTIVATIONS.contains(hiddenAct)) throw new IllegalArgumentException("hidden_act '" + hiddenAct + "' is not supported (supported: " + ACTIVATIONS + ")");
  }

  /** Reads {@code text_encoder/config.json}; absent keys take transformers' defaults. */
  public static ClipTextConfig read(Path file) throws IOException {
    return from(ConfigJson.read(file));
  }

  /** The configuration in {@code json}; absent keys take transformers' defaults. */
  public static ClipTextConfig from(ConfigJson json) {
    int hidden = json.positive("hidden_size", 512);
    int heads = json.positive("num_attention_heads", 8);
    if (hidden % heads != 0) throw json.invalid("num_attention_heads", "a divisor of hidden_size " + hidden, heads);
    String act = json.string("hidden_act", "quick_gelu");
    if (!ACTIVATIONS.contains(act)) throw json.invalid("hidden_act", "one of " + ACTIVATIONS, act);
    return new ClipTextConfig(
        json.positive("vocab_size", 49408), hidden, json.positive("intermediate_size", 2048),
        json.positive("num_hidden_layers", 12), heads, json.positive("max_position_embeddings", 77), act,
        json.number("layer_norm_eps", 1e-5), json.integer("bos_token_id", 49406), json.integer("eos_token_id", 49407),
        json.integer("pad_token_id", 1), json.positive("projection_dim", 512));
  }

  /** Width of one attention head. */
  public int headDim() {
    return hiddenSize / numHeads;
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode n = ConfigJson.MAPPER.createObjectNode();
    n.putArray("architectures").add("CLIPTextModel");
    n.put("model_type", "clip_text_model");
    n.put("vocab_size", vocabSize);
    n.put("hidden_size", hiddenSize);
    n.put("intermediate_size", intermediateSize);
    n.put("projection_dim", projectionDim);
    n.put("num_hidden_layers", numLayers);
    n.put("num_attention_heads", numHeads);
    n.put("max_position_embeddings", maxPositions);
    n.put("hidden_act", hiddenAct);
    n.put("layer_norm_eps", layerNormEps);
    n.put("attention_dropout", 0.0);
    n.put("dropout", 0.0);
    n.put("initializer_range", 0.02);
    n.put("initializer_factor", 1.0);
    n.put("bos_token_id", bosTokenId);
    n.put("eos_token_id", eosTokenId);
    n.put("pad_token_id", padTokenId);
    return n;
  }

  @Override
  public List<TensorSpec> layout() {
    List<TensorSpec> out = new ArrayList<>();
    String e = "text_model.embeddings.";
    out.add(new TensorSpec(e + "token_embedding.weight", new Shape(vocabSize, hiddenSize)));
    out.add(new TensorSpec(e + "position_embedding.weight", new Shape(maxPositions, hiddenSize)));
    for (int i = 0; i < numLayers; i++) {
      String l = "text_model.encoder.layers." + i + ".";
      for (String p : new String[] {"k_proj", "v_proj", "q_proj", "out_proj"}) linear(out, l + "self_attn." + p, hiddenSize, hiddenSize);
      norm(out, l + "layer_norm1");
      linear(out, l + "mlp.fc1", hiddenSize, intermediateSize);
      linear(out, l + "mlp.fc2", intermediateSize, hiddenSize);
      norm(out, l + "layer_norm2");
    }
    norm(out, "text_model.final_layer_norm");
    return out;
  }

  /** transformers 5 saves {@code CLIPTextModel} without the {@code text_model.} prefix; older versions (FLUX's files) with it. */
  @Override
  public String storedName(String name, Set<String> stored) {
    return stored.contains(name) || !stored.contains(name.substring(PREFIX.length())) ? name : name.substring(PREFIX.length());
  }

  /** The position-id buffer some versions save. */
  @Override
  public boolean ignorable(String storedName) {
    return storedName.endsWith("embeddings.position_ids");
  }

  @Override
  public String weightsFileName() {
    return "model.safetensors";
  }

  private static void linear(List<TensorSpec> out, String module, int in, int outDim) {
    out.add(new TensorSpec(module + ".weight", new Shape(outDim, in)));
    out.add(new TensorSpec(module + ".bias", new Shape(outDim)));
  }

  private void norm(List<TensorSpec> out, String module) {
    out.add(new TensorSpec(module + ".weight", new Shape(hiddenSize)));
    out.add(new TensorSpec(module + ".bias", new Shape(hiddenSize)));
  }
}
