package dev.urae.model.checkpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Black Forest Labs' single-file FLUX transformer ({@code flux1-dev.safetensors},
 * {@code flux1-schnell.safetensors}) seen in diffusers' {@code FluxTransformer2DModel} names,
 * from headers alone: renames ({@code img_in} → {@code x_embedder}, {@code img_mod.lin} →
 * {@code norm1.linear}, {@code *.query_norm.scale} → {@code norm_q.weight}, …), the fused
 * {@code img_attn.qkv}/{@code txt_attn.qkv} and the single blocks' {@code linear1} (q, k, v and
 * the MLP input) split into row ranges, and the final modulation's halves swapped (BFL stores
 * shift then scale, diffusers scale then shift). Each mapped tensor is a list of byte ranges of
 * the source file, so nothing is copied until it is loaded or converted.
 */
final class BflFluxMapping {
  private static final Pattern DOUBLE = Pattern.compile("double_blocks\\.(\\d+)\\..*");
  private static final Pattern SINGLE = Pattern.compile("single_blocks\\.(\\d+)\\..*");

  /** Linear layers renamed as they are (weight and bias), outside the blocks. */
  private static final Map<String, String> TOP = ordered(
      "time_in.in_layer", "time_text_embed.timestep_embedder.linear_1",
      "time_in.out_layer", "time_text_embed.timestep_embedder.linear_2",
      "guidance_in.in_layer", "time_text_embed.guidance_embedder.linear_1",
      "guidance_in.out_layer", "time_text_embed.guidance_embedder.linear_2",
      "vector_in.in_layer", "time_text_embed.text_embedder.linear_1",
      "vector_in.out_layer", "time_text_embed.text_embedder.linear_2",
      "txt_in", "context_embedder",
      "img_in", "x_embedder");
  private static final Map<String, String> DOUBLE_LINEARS = ordered(
      "img_mod.lin", "norm1.linear",
      "txt_mod.lin", "norm1_context.linear",
      "img_attn.proj", "attn.to_out.0",
      "txt_attn.proj", "attn.to_add_out",
      "img_mlp.0", "ff.net.0.proj",
      "img_mlp.2", "ff.net.2",
      "txt_mlp.0", "ff_context.net.0.proj",
      "txt_mlp.2", "ff_context.net.2");
  private static final Map<String, String> DOUBLE_NORMS = ordered(
      "img_attn.norm.query_norm.scale", "attn.norm_q.weight",
      "img_attn.norm.key_norm.scale", "attn.norm_k.weight",
      "txt_attn.norm.query_norm.scale", "attn.norm_added_q.weight",
      "txt_attn.norm.key_norm.scale", "attn.norm_added_k.weight");
  private static final Map<String, String> SINGLE_LINEARS = ordered(
      "modulation.lin", "norm.linear",
      "linear2", "proj_out");
  private static final Map<String, String> SINGLE_NORMS = ordered(
      "norm.query_norm.scale", "attn.norm_q.weight",
      "norm.key_norm.scale", "attn.norm_k.weight");

  private BflFluxMapping() {}

  /** Whether {@code tensors} are in BFL's names (they have {@code img_in} or double blocks). */
  static boolean recognises(TensorSet tensors) {
    if (tensors.contains("img_in.weight")) return true;
    for (String n : tensors.names()) if (DOUBLE.matcher(n).matches()) return true;
    return false;
  }

  /** The transformer in diffusers names; BFL tensors without a counterpart become problems. */
  static TensorSet toDiffusers(Path file, TensorSet bfl, List<CheckpointProblem> problems) {
    if (!bfl.contains("img_in.weight")) {
      problems.add(new CheckpointProblem(file, "img_in.weight", "missing: the hidden size is read from it"));
      return TensorSet.empty();
    }
    long d = bfl.get("img_in.weight").shape().get(0);
    Map<String, StoredTensor> out = new LinkedHashMap<>();
    Set<String> used = new LinkedHashSet<>();
    Mapper m = new Mapper(file, bfl, out, used, problems);
    TOP.forEach(m::linear);
    for (int i = 0; i < bfl.countNumbered(DOUBLE); i++) {
      String from = "double_blocks." + i + ".";
      String to = "transformer_blocks." + i + ".";
      DOUBLE_LINEARS.forEach((a, b) -> m.linear(from + a, to + b));
      DOUBLE_NORMS.forEach((a, b) -> m.rename(from + a, to + b));
      m.split(from + "img_attn.qkv", d, to + "attn.to_q", to + "attn.to_k", to + "attn.to_v");
      m.split(from + "txt_attn.qkv", d, to + "attn.add_q_proj", to + "attn.add_k_proj", to + "attn.add_v_proj");
    }
    for (int i = 0; i < bfl.countNumbered(SINGLE); i++) {
      String from = "single_blocks." + i + ".";
      String to = "single_transformer_blocks." + i + ".";
      SINGLE_LINEARS.forEach((a, b) -> m.linear(from + a, to + b));
      SINGLE_NORMS.forEach((a, b) -> m.rename(from + a, to + b));
      // linear1 = [q; k; v; mlp input]: three blocks of d rows, then the rest.
      m.split(from + "linear1", d, to + "attn.to_q", to + "attn.to_k", to + "attn.to_v", to + "proj_mlp");
    }
    m.linear("final_layer.linear", "proj_out");
    m.swapHalves("final_layer.adaLN_modulation.1", "norm_out.linear");
    for (String n : bfl.names()) {
      if (!used.contains(n)) problems.add(new CheckpointProblem(file, n, "unexpected: no FluxTransformer2DModel counterpart in the BFL mapping"));
    }
    return new TensorSet(out.values());
  }

  /**
   * The diffusers configuration fields the tensors determine (a BFL file has no config.json);
   * {@code axes_dims_rope} is not among them and comes from a preset.
   */
  static ObjectNode inferConfig(TensorSet bfl) {
    ObjectNode c = ComponentReader.JSON.createObjectNode();
    c.put("_class_name", "FluxTransformer2DModel");
    c.put("_inferred_from", "tensor shapes of a BFL single file");
    if (bfl.contains("img_in.weight")) {
      long d = bfl.get("img_in.weight").shape().get(0);
      c.put("in_channels", bfl.get("img_in.weight").shape().get(1));
      if (bfl.contains("double_blocks.0.img_attn.norm.query_norm.scale")) {
        long headDim = bfl.get("double_blocks.0.img_attn.norm.query_norm.scale").shape().get(0);
        c.put("attention_head_dim", headDim);
        c.put("num_attention_heads", d / headDim);
      }
    }
    if (bfl.contains("final_layer.linear.weight")) c.put("out_channels", bfl.get("final_layer.linear.weight").shape().get(0));
    c.put("num_layers", bfl.countNumbered(DOUBLE));
    c.put("num_single_layers", bfl.countNumbered(SINGLE));
    if (bfl.contains("txt_in.weight")) c.put("joint_attention_dim", bfl.get("txt_in.weight").shape().get(1));
    if (bfl.contains("vector_in.in_layer.weight")) c.put("pooled_projection_dim", bfl.get("vector_in.in_layer.weight").shape().get(1));
    c.put("guidance_embeds", bfl.contains("guidance_in.in_layer.weight"));
    return c;
  }

  private static Map<String, String> ordered(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
    return m;
  }

  /** Adds mapped tensors, remembering which sources were consumed. */
  private record Mapper(Path file, TensorSet bfl, Map<String, StoredTensor> out, Set<String> used, List<CheckpointProblem> problems) {
    void linear(String from, String to) {
      rename(from + ".weight", to + ".weight");
      rename(from + ".bias", to + ".bias");
    }

    void rename(String from, String to) {
      if (!bfl.contains(from)) return;
      used.add(from);
      StoredTensor t = bfl.get(from);
      out.put(to, t.as(to, t.shape()));
    }

    /** Splits rows into blocks of {@code d} for all targets but the last, which takes the rest. */
    void split(String from, long d, String... targets) {
      for (String kind : new String[] {".weight", ".bias"}) {
        if (!bfl.contains(from + kind)) continue;
        used.add(from + kind);
        StoredTensor t = bfl.get(from + kind);
        long rest = t.shape().get(0) - d * (targets.length - 1);
        boolean fits = targets.length == 3 ? rest == d : rest > 0;
        if (!fits) {
          String expected = targets.length == 3 ? 3 * d + " rows (q, k, v of " + d + ")" : "more than " + 3 * d + " rows (q, k, v of " + d + ", then the MLP input)";
          problems.add(new CheckpointProblem(file, from + kind, "stored with shape " + t.shapeText() + ", expected " + expected));
          continue;
        }
        for (int i = 0; i < targets.length; i++) {
          long first = d * i;
          long count = i == targets.length - 1 ? rest : d;
          out.put(targets[i] + kind, t.rows(targets[i] + kind, first, count));
        }
      }
    }

    /** BFL's final modulation is (shift, scale); diffusers' is (scale, shift). */
    void swapHalves(String from, String to) {
      for (String kind : new String[] {".weight", ".bias"}) {
        if (!bfl.contains(from + kind)) continue;
        used.add(from + kind);
        StoredTensor t = bfl.get(from + kind);
        long half = t.shape().get(0) / 2;
        if (t.shape().get(0) % 2 != 0) {
          problems.add(new CheckpointProblem(file, from + kind, "stored with shape " + t.shapeText() + ", expected an even number of rows (shift, scale)"));
          continue;
        }
        out.put(to + kind, StoredTensor.concatRows(to + kind, List.of(t.rows("scale", half, half), t.rows("shift", 0, half))));
      }
    }
  }
}
