package dev.urae.model.flux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.checkpoint.TensorSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link FluxConfig} as diffusers writes it in {@code transformer/config.json}. Reading takes
 * every field the file has; a preset fills only the gaps ({@code axes_dims_rope} and the MLP
 * ratio, which diffusers does not store, and anything a hand-written config leaves out), so
 * FLUX.1-dev, FLUX.1-schnell ({@code guidance_embeds: false}) and checkpoints shaped like them
 * all load. The MLP ratio is read from the tensors when they are there.
 */
public final class FluxConfigJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FluxConfigJson() {}

  /**
   * The configuration of a transformer component: its config (or, for a BFL file, the fields
   * inferred from tensor shapes), gaps filled from {@code preset}, or when null from the first
   * of flux-dev, flux-schnell, demo, tiny with the component's head dim.
   *
   * @throws IllegalArgumentException naming the component's location and the field
   */
  public static FluxConfig of(Component transformer, FluxConfig preset) {
    return of(transformer.config(), transformer.tensors(), transformer.location(), preset);
  }

  /**
   * The configuration in a {@code config.json} file ({@code urae model init --config}), gaps
   * filled as in {@link #of(Component, FluxConfig)}.
   *
   * @throws IllegalArgumentException naming the file and the field
   */
  public static FluxConfig read(Path file, FluxConfig preset) throws IOException {
    JsonNode c;
    try {
      c = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (c == null || !c.isObject()) throw new IllegalArgumentException(file + ": expected a JSON object (a FluxTransformer2DModel config.json)");
    return of(c, TensorSet.empty(), file, preset);
  }

  private static FluxConfig of(JsonNode c, TensorSet tensors, Path where, FluxConfig preset) {
    FluxConfig base = preset != null ? preset : presetFor(c);
    FluxConfig.Builder b = base.toBuilder().optName(c.path("_name_or_path").asText(where.getFileName().toString()));
    try {
      if (has(c, "in_channels")) b.setInChannels(c.get("in_channels").asInt());
      // diffusers writes out_channels: null for "same as in_channels".
      b.optOutChannels(has(c, "out_channels") ? c.get("out_channels").asInt() : has(c, "in_channels") ? c.get("in_channels").asInt() : base.outChannels());
      if (has(c, "num_layers")) b.setNumLayers(c.get("num_layers").asInt());
      if (has(c, "num_single_layers")) b.setNumSingleLayers(c.get("num_single_layers").asInt());
      if (has(c, "attention_head_dim")) b.setAttentionHeadDim(c.get("attention_head_dim").asInt());
      if (has(c, "num_attention_heads")) b.setNumAttentionHeads(c.get("num_attention_heads").asInt());
      if (has(c, "joint_attention_dim")) b.setJointAttentionDim(c.get("joint_attention_dim").asInt());
      if (has(c, "pooled_projection_dim")) b.setPooledProjectionDim(c.get("pooled_projection_dim").asInt());
      if (has(c, "guidance_embeds")) b.optGuidanceEmbeds(c.get("guidance_embeds").asBoolean());
      if (has(c, "axes_dims_rope")) b.setAxesDimsRope(ints(c.get("axes_dims_rope")));
      if (has(c, "rope_theta")) b.optRopeTheta(c.get("rope_theta").asDouble());
      mlpRatio(tensors, c).ifPresent(b::optMlpRatio);
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": transformer configuration: " + e.getMessage(), e);
    }
  }

  /** {@code config} as diffusers' {@code config.json} for {@code FluxTransformer2DModel}. */
  public static ObjectNode write(FluxConfig config) {
    ObjectNode c = JSON.createObjectNode();
    c.put("_class_name", "FluxTransformer2DModel");
    c.put("_name_or_path", config.name());
    c.put("patch_size", 1);
    c.put("in_channels", config.inChannels());
    c.put("out_channels", config.outChannels());
    c.put("num_layers", config.numLayers());
    c.put("num_single_layers", config.numSingleLayers());
    c.put("attention_head_dim", config.attentionHeadDim());
    c.put("num_attention_heads", config.numAttentionHeads());
    c.put("joint_attention_dim", config.jointAttentionDim());
    c.put("pooled_projection_dim", config.pooledProjectionDim());
    c.put("guidance_embeds", config.guidanceEmbeds());
    ArrayNode axes = c.putArray("axes_dims_rope");
    for (int a : config.axesDimsRope()) axes.add(a);
    if (config.ropeTheta() != 10_000) c.put("rope_theta", config.ropeTheta());
    return c;
  }

  private static FluxConfig presetFor(JsonNode c) {
    if (!has(c, "attention_head_dim")) return FluxPresets.FLUX_DEV;
    int headDim = c.get("attention_head_dim").asInt();
    for (String name : List.of("flux-dev", "flux-schnell", "demo", "tiny")) {
      FluxConfig p = FluxPresets.byName(name);
      if (p.attentionHeadDim() == headDim) return p;
    }
    return FluxPresets.FLUX_DEV;
  }

  /** The MLP width over the hidden width, from the first double block's MLP input. */
  private static java.util.Optional<Integer> mlpRatio(TensorSet tensors, JsonNode c) {
    String name = tensors.contains("transformer_blocks.0.ff.net.0.proj.weight") ? "transformer_blocks.0.ff.net.0.proj.weight" : "single_transformer_blocks.0.proj_mlp.weight";
    if (!tensors.contains(name) || !has(c, "attention_head_dim") || !has(c, "num_attention_heads")) return java.util.Optional.empty();
    long hidden = (long) c.get("attention_head_dim").asInt() * c.get("num_attention_heads").asInt();
    long mlp = tensors.get(name).shape().get(0);
    return mlp % hidden == 0 && mlp > 0 ? java.util.Optional.of((int) (mlp / hidden)) : java.util.Optional.empty();
  }

  private static boolean has(JsonNode c, String field) {
    return c.hasNonNull(field);
  }

  private static int[] ints(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    for (JsonNode n : array) out.add(n.asInt());
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
