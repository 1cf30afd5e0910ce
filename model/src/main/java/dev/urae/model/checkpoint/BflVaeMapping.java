package dev.urae.model.checkpoint;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Black Forest Labs' single-file FLUX autoencoder ({@code ae.safetensors}) seen in diffusers'
 * {@code AutoencoderKL} names, from headers alone. BFL's modules ({@code flux/modules/autoencoder.py})
 * are the LDM ones: {@code down.{i}.block.{j}} → {@code down_blocks.{i}.resnets.{j}} (its
 * {@code nin_shortcut} → {@code conv_shortcut}), {@code down.{i}.downsample} →
 * {@code down_blocks.{i}.downsamplers.0}, {@code mid.block_1/attn_1/block_2} →
 * {@code mid_block.resnets.0/attentions.0/resnets.1}, {@code norm_out} → {@code conv_norm_out}.
 * The decoder keeps its levels by resolution, highest first, where diffusers keeps them in the
 * order it runs them: {@code up.{i}} is {@code up_blocks.{n−1−i}}. The mid-block attention's
 * q/k/v/proj_out are 1×1 convolutions ({@code [c, c, 1, 1]}), diffusers' are linear layers
 * ({@code [c, c]}): the same bytes under another shape, so nothing is copied until loaded.
 */
final class BflVaeMapping {
  private static final Pattern DOWN = Pattern.compile("encoder\\.down\\.(\\d+)\\..*");
  private static final Pattern DOWN_BLOCK = Pattern.compile("encoder\\.down\\.0\\.block\\.(\\d+)\\..*");
  private static final Pattern UP = Pattern.compile("decoder\\.up\\.(\\d+)\\..*");
  private static final Pattern UP_BLOCK = Pattern.compile("decoder\\.up\\.0\\.block\\.(\\d+)\\..*");
  /** FLUX's latent normalisation (BFL's {@code AutoEncoderParams}); not stored in {@code ae.safetensors}. */
  static final double FLUX_SCALING_FACTOR = 0.3611;
  static final double FLUX_SHIFT_FACTOR = 0.1159;
  /** BFL's autoencoder builds every group norm with 32 groups; the file cannot tell. */
  static final int NORM_GROUPS = 32;

  private BflVaeMapping() {}

  /** Whether {@code tensors} are BFL's autoencoder: LDM names ({@code encoder.down.0.block.0}, {@code decoder.up.*}). */
  static boolean recognises(TensorSet tensors) {
    for (String n : tensors.names()) if (DOWN.matcher(n).matches() || UP.matcher(n).matches()) return true;
    return false;
  }

  /** The VAE in diffusers names; a tensor the structure needs but the file lacks, or one it has no use for, is a problem naming the BFL tensor. */
  static TensorSet toDiffusers(Path file, TensorSet bfl, List<CheckpointProblem> problems) {
    int levels = bfl.countNumbered(DOWN);
    Mapper m = new Mapper(file, bfl, new LinkedHashMap<>(), new LinkedHashSet<>(), problems);
    m.module("encoder.conv_in", "encoder.conv_in");
    for (int i = 0; i < levels; i++) {
      for (int j = 0; j < bfl.countNumbered(Pattern.compile("encoder\\.down\\." + i + "\\.block\\.(\\d+)\\..*")); j++) {
        m.resnet("encoder.down." + i + ".block." + j, "encoder.down_blocks." + i + ".resnets." + j);
      }
      if (i < levels - 1) m.module("encoder.down." + i + ".downsample.conv", "encoder.down_blocks." + i + ".downsamplers.0.conv");
    }
    m.mid("encoder.mid", "encoder.mid_block");
    m.module("encoder.norm_out", "encoder.conv_norm_out");
    m.module("encoder.conv_out", "encoder.conv_out");
    m.module("decoder.conv_in", "decoder.conv_in");
    m.mid("decoder.mid", "decoder.mid_block");
    int upLevels = bfl.countNumbered(UP);
    for (int i = 0; i < upLevels; i++) {
      String to = "decoder.up_blocks." + (upLevels - 1 - i);
      for (int j = 0; j < bfl.countNumbered(Pattern.compile("decoder\\.up\\." + i + "\\.block\\.(\\d+)\\..*")); j++) {
        m.resnet("decoder.up." + i + ".block." + j, to + ".resnets." + j);
      }
      if (i > 0) m.module("decoder.up." + i + ".upsample.conv", to + ".upsamplers.0.conv");
    }
    m.module("decoder.norm_out", "decoder.conv_norm_out");
    m.module("decoder.conv_out", "decoder.conv_out");
    for (String n : bfl.names()) {
      if (!m.used().contains(n)) problems.add(new CheckpointProblem(file, n, "unexpected: no AutoencoderKL counterpart in the BFL autoencoder mapping"));
    }
    return new TensorSet(m.out().values());
  }

  /**
   * diffusers' {@code vae/config.json} as far as the shapes tell it. {@code scaling_factor}
   * 0.3611 and {@code shift_factor} 0.1159 are FLUX's latent normalisation, which BFL keeps in
   * code, not in the file; {@code norm_num_groups} is BFL's fixed 32.
   */
  static ObjectNode inferConfig(TensorSet bfl) {
    ObjectNode c = ComponentReader.JSON.createObjectNode();
    c.put("_class_name", "AutoencoderKL");
    c.put("_inferred_from", "tensor shapes of a BFL single-file autoencoder; scaling_factor, shift_factor and norm_num_groups are FLUX's, not in the file");
    dim(c, bfl, "in_channels", "encoder.conv_in.weight", 1);
    dim(c, bfl, "out_channels", "decoder.conv_out.weight", 0);
    dim(c, bfl, "latent_channels", "decoder.conv_in.weight", 1);
    ArrayNode blocks = c.putArray("block_out_channels");
    ArrayNode down = c.putArray("down_block_types");
    ArrayNode up = c.putArray("up_block_types");
    for (int i = 0; i < bfl.countNumbered(DOWN); i++) {
      String conv = "encoder.down." + i + ".block.0.conv1.weight";
      if (bfl.contains(conv)) blocks.add(bfl.get(conv).shape().get(0));
      down.add("DownEncoderBlock2D");
      up.add("UpDecoderBlock2D");
    }
    c.put("layers_per_block", bfl.countNumbered(DOWN_BLOCK));
    c.put("norm_num_groups", NORM_GROUPS);
    c.put("act_fn", "silu");
    c.put("mid_block_add_attention", bfl.contains("encoder.mid.attn_1.q.weight"));
    c.put("use_quant_conv", false);
    c.put("use_post_quant_conv", false);
    c.put("scaling_factor", FLUX_SCALING_FACTOR);
    c.put("shift_factor", FLUX_SHIFT_FACTOR);
    return c;
  }

  private static void dim(ObjectNode c, TensorSet bfl, String key, String tensor, int axis) {
    if (bfl.contains(tensor)) c.put(key, bfl.get(tensor).shape().get(axis));
  }

  /** Adds mapped tensors, remembering which sources were consumed. */
  private record Mapper(Path file, TensorSet bfl, Map<String, StoredTensor> out, Set<String> used, List<CheckpointProblem> problems) {
    void resnet(String from, String to) {
      for (String part : new String[] {"norm1", "conv1", "norm2", "conv2"}) module(from + "." + part, to + "." + part);
      // A 1×1 convolution on the residual path, present exactly where the block changes the width.
      StoredTensor conv1 = bfl.contains(from + ".conv1.weight") ? bfl.get(from + ".conv1.weight") : null;
      long out = conv1 == null ? 0 : conv1.shape().get(0);
      long in = conv1 == null ? 0 : conv1.shape().get(1);
      if (out != in) {
        String why = " for " + to + ".conv_shortcut (the block changes the width from " + in + " to " + out + ")";
        expected(from + ".nin_shortcut.weight", to + ".conv_shortcut.weight", new Shape(out, in, 1, 1), why);
        expected(from + ".nin_shortcut.bias", to + ".conv_shortcut.bias", new Shape(out), why);
      } else if (bfl.contains(from + ".nin_shortcut.weight")) {
        module(from + ".nin_shortcut", to + ".conv_shortcut");
      }
    }

    /** Maps a tensor whose shape the structure fixes; a missing one is named in BFL terms with that shape. */
    private void expected(String from, String to, Shape shape, String why) {
      if (bfl.contains(from)) {
        rename(from, to, null);
      } else {
        problems.add(new CheckpointProblem(file, from, "missing: the BFL autoencoder needs it with shape " + StoredTensor.text(shape) + why));
      }
    }

    void mid(String from, String to) {
      resnet(from + ".block_1", to + ".resnets.0");
      if (bfl.contains(from + ".attn_1.norm.weight")) {
        String a = to + ".attentions.0.";
        module(from + ".attn_1.norm", a + "group_norm");
        linear(from + ".attn_1.q", a + "to_q");
        linear(from + ".attn_1.k", a + "to_k");
        linear(from + ".attn_1.v", a + "to_v");
        linear(from + ".attn_1.proj_out", a + "to_out.0");
      }
      resnet(from + ".block_2", to + ".resnets.1");
    }

    void module(String from, String to) {
      rename(from + ".weight", to + ".weight", null);
      rename(from + ".bias", to + ".bias", null);
    }

    /** A 1×1 convolution read as the linear layer it is: {@code [c_out, c_in, 1, 1]} → {@code [c_out, c_in]}. */
    void linear(String from, String to) {
      StoredTensor w = bfl.contains(from + ".weight") ? bfl.get(from + ".weight") : null;
      if (w != null && (w.shape().dimension() != 4 || w.shape().get(2) != 1 || w.shape().get(3) != 1)) {
        used.add(from + ".weight");
        problems.add(new CheckpointProblem(file, from + ".weight", "stored with shape " + w.shapeText() + ", expected a 1×1 convolution [c, c, 1, 1]"));
      } else {
        rename(from + ".weight", to + ".weight", w == null ? null : new Shape(w.shape().get(0), w.shape().get(1)));
      }
      rename(from + ".bias", to + ".bias", null);
    }

    private void rename(String from, String to, Shape shape) {
      if (!bfl.contains(from)) {
        problems.add(new CheckpointProblem(file, from, "missing: the BFL autoencoder needs it for " + to));
        return;
      }
      used.add(from);
      StoredTensor t = bfl.get(from);
      out.put(to, t.as(to, shape == null ? t.shape() : shape));
    }
  }
}
