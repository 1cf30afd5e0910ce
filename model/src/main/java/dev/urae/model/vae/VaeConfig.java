package dev.urae.model.vae;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.model.component.ComponentConfig;
import dev.urae.model.component.ConfigJson;
import dev.urae.model.tensors.TensorSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@code AutoencoderKL}'s configuration, as diffusers writes it in {@code vae/config.json}.
 * {@link #FLUX_DEV} is FLUX.1's VAE (16 latent channels, blocks 128/256/512/512, two ResNet layers
 * per encoder block, group norm 32, mid-block attention, no quant convs, latents normalised as
 * {@code (z − 0.1159) · 0.3611}); {@link #TINY} is the same architecture at toy widths.
 *
 * @param shiftFactor subtracted from latents before scaling (0 when the config has none)
 */
public record VaeConfig(
    int inChannels, int outChannels, int latentChannels, List<Integer> blockOutChannels, int layersPerBlock,
    int normNumGroups, double scalingFactor, double shiftFactor, boolean useQuantConv, boolean usePostQuantConv,
    boolean midBlockAttention) implements ComponentConfig {

  /** Group norm epsilon of every norm in diffusers' VAE blocks. */
  public static final float NORM_EPS = 1e-6f;

  /** FLUX.1's VAE (dev and schnell share it). */
  public static final VaeConfig FLUX_DEV = new VaeConfig(3, 3, 16, List.of(128, 256, 512, 512), 2, 32, 0.3611, 0.1159, false, false, true);
  /** FLUX's architecture at toy widths: 16 latent channels, blocks 32/64, 8× down is 2× here. */
  public static final VaeConfig TINY = new VaeConfig(3, 3, 16, List.of(32, 64), 1, 8, 0.3611, 0.1159, false, false, true);

  public VaeConfig {
    blockOutChannels = List.copyOf(blockOutChannels);
    if (inChannels <= 0 || outChannels <= 0 || latentChannels <= 0 || layersPerBlock <= 0 || normNumGroups <= 0 || blockOutChannels.isEmpty()) {
      throw new IllegalArgumentException("VAE config sizes must be positive: " + this);
    }
    for (int c : blockOutChannels) {
      if (c <= 0 || c % normNumGroups != 0) throw new IllegalArgumentException("block_out_channels " + blockOutChannels + " must be positive multiples of norm_num_groups " + normNumGroups);
    }
    if (!(scalingFactor > 0)) throw new IllegalArgumentException("scaling_factor must be positive, got " + scalingFactor);
  }

  /** Reads {@code vae/config.json}; absent keys take diffusers' defaults. */
  public static VaeConfig read(Path file) throws IOException {
    return from(ConfigJson.read(file));
  }

  /** The configuration in {@code json}; absent keys take diffusers' defaults. */
  public static VaeConfig from(ConfigJson json) {
    String act = json.string("act_fn", "silu");
    if (!act.equals("silu")) throw json.invalid("act_fn", "\"silu\"", "\"" + act + "\"");
    List<Integer> blocks = json.integers("block_out_channels", List.of(64));
    int groups = json.positive("norm_num_groups", 32);
    for (int c : blocks) if (c % groups != 0) throw json.invalid("block_out_channels", "multiples of norm_num_groups " + groups, blocks);
    double scaling = json.number("scaling_factor", 0.18215);
    if (!(scaling > 0)) throw json.invalid("scaling_factor", "a positive number", scaling);
    return new VaeConfig(
        json.positive("in_channels", 3), json.positive("out_channels", 3), json.positive("latent_channels", 4), blocks,
        json.positive("layers_per_block", 1), groups, scaling, json.number("shift_factor", 0),
        json.bool("use_quant_conv", true), json.bool("use_post_quant_conv", true), json.bool("mid_block_add_attention", true));
  }

  /** Spatial downsampling factor: 2 per block but the last (8 for FLUX). */
  public int downsampling() {
    return 1 << (blockOutChannels.size() - 1);
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode n = ConfigJson.MAPPER.createObjectNode();
    n.put("_class_name", "AutoencoderKL");
    n.put("act_fn", "silu");
    ArrayNode blocks = n.putArray("block_out_channels");
    blockOutChannels.forEach(blocks::add);
    ArrayNode down = n.putArray("down_block_types");
    ArrayNode up = n.putArray("up_block_types");
    for (int i = 0; i < blockOutChannels.size(); i++) {
      down.add("DownEncoderBlock2D");
      up.add("UpDecoderBlock2D");
    }
    n.put("force_upcast", true);
    n.put("in_channels", inChannels);
    n.put("out_channels", outChannels);
    n.put("latent_channels", latentChannels);
    n.putNull("latents_mean");
    n.putNull("latents_std");
    n.put("layers_per_block", layersPerBlock);
    n.put("mid_block_add_attention", midBlockAttention);
    n.put("norm_num_groups", normNumGroups);
    n.put("sample_size", 1024);
    n.put("scaling_factor", scalingFactor);
    n.put("shift_factor", shiftFactor);
    n.put("use_quant_conv", useQuantConv);
    n.put("use_post_quant_conv", usePostQuantConv);
    return n;
  }

  @Override
  public List<TensorSpec> layout() {
    List<TensorSpec> out = new ArrayList<>();
    int n = blockOutChannels.size();
    int first = blockOutChannels.get(0);
    int last = blockOutChannels.get(n - 1);
    // Encoder: conv_in, down blocks (all but the last halve the size), mid block, 2·latent out.
    conv(out, "encoder.conv_in", inChannels, first, 3);
    int channels = first;
    for (int i = 0; i < n; i++) {
      int width = blockOutChannels.get(i);
      for (int j = 0; j < layersPerBlock; j++) {
        resnet(out, "encoder.down_blocks." + i + ".resnets." + j, channels, width);
        channels = width;
      }
      if (i < n - 1) conv(out, "encoder.down_blocks." + i + ".downsamplers.0.conv", width, width, 3);
    }
    midBlock(out, "encoder.mid_block", last);
    norm(out, "encoder.conv_norm_out", last);
    conv(out, "encoder.conv_out", last, 2 * latentChannels, 3);
    if (useQuantConv) conv(out, "quant_conv", 2 * latentChannels, 2 * latentChannels, 1);
    if (usePostQuantConv) conv(out, "post_quant_conv", latentChannels, latentChannels, 1);
    // Decoder: the mirror image, one more ResNet layer per block, nearest-neighbour upsampling.
    conv(out, "decoder.conv_in", latentChannels, last, 3);
    midBlock(out, "decoder.mid_block", last);
    channels = last;
    for (int i = 0; i < n; i++) {
      int width = blockOutChannels.get(n - 1 - i);
      for (int j = 0; j < layersPerBlock + 1; j++) {
        resnet(out, "decoder.up_blocks." + i + ".resnets." + j, channels, width);
        channels = width;
      }
      if (i < n - 1) conv(out, "decoder.up_blocks." + i + ".upsamplers.0.conv", width, width, 3);
    }
    norm(out, "decoder.conv_norm_out", first);
    conv(out, "decoder.conv_out", first, outChannels, 3);
    return out;
  }

  @Override
  public String weightsFileName() {
    return "diffusion_pytorch_model.safetensors";
  }

  private void midBlock(List<TensorSpec> out, String prefix, int c) {
    resnet(out, prefix + ".resnets.0", c, c);
    if (midBlockAttention) {
      String a = prefix + ".attentions.0.";
      norm(out, a + "group_norm", c);
      for (String p : new String[] {"to_q", "to_k", "to_v", "to_out.0"}) {
        out.add(new TensorSpec(a + p + ".weight", new Shape(c, c)));
        out.add(new TensorSpec(a + p + ".bias", new Shape(c)));
      }
    }
    resnet(out, prefix + ".resnets.1", c, c);
  }

  private static void resnet(List<TensorSpec> out, String prefix, int in, int outChannels) {
    norm(out, prefix + ".norm1", in);
    conv(out, prefix + ".conv1", in, outChannels, 3);
    norm(out, prefix + ".norm2", outChannels);
    conv(out, prefix + ".conv2", outChannels, outChannels, 3);
    if (in != outChannels) conv(out, prefix + ".conv_shortcut", in, outChannels, 1);
  }

  private static void conv(List<TensorSpec> out, String module, int in, int outChannels, int kernel) {
    out.add(new TensorSpec(module + ".weight", new Shape(outChannels, in, kernel, kernel)));
    out.add(new TensorSpec(module + ".bias", new Shape(outChannels)));
  }

  private static void norm(List<TensorSpec> out, String module, int c) {
    out.add(new TensorSpec(module + ".weight", new Shape(c)));
    out.add(new TensorSpec(module + ".bias", new Shape(c)));
  }
}
