package dev.urae.model.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import dev.urae.model.codec.LatentCodec;
import dev.urae.model.codec.LatentPosterior;
import ai.djl.Device;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.component.ComponentWeights;
import dev.urae.model.component.ConfigJson;
import java.io.IOException;
import dev.urae.model.nn.Activations;
import dev.urae.model.nn.Constants;
import dev.urae.model.nn.Scoped;
import java.util.Map;

/**
 * The VAE FLUX works in (diffusers' {@code AutoencoderKL}), on DJL in float32. The encoder runs
 * down blocks of ResNet layers (group norm, SiLU, 3×3 conv, twice, plus a 1×1 shortcut where the
 * width changes) with stride-2 downsampling after every block but the last, a mid block
 * (ResNet, single-head self-attention over all positions, ResNet), then group norm, SiLU and a
 * conv to 2·C channels: the posterior's mean and log-variance. The decoder mirrors it with one
 * more ResNet layer per block and nearest-neighbour upsampling.
 *
 * <p>As a {@link LatentCodec} it speaks the transformer's latent space: {@link #encode} returns
 * the posterior mean normalised as {@code (z − shift) · scale}, {@link #decode} undoes that before
 * decoding; {@link #encodePosterior} gives the posterior in that space (mean and std scaled,
 * mean shifted), {@link #encodeRawPosterior} the raw one, which URAE's scripts cache.
 *
 * <p>Attention at high resolution is computed in blocks of query rows (exact: softmax is per
 * row), so a 2K image's 65k latent positions never need a 65k × 65k score matrix at once.
 *
 * <p>Images larger than a tile ({@link VaeTiling}, 1024 pixels with a 256-pixel overlap unless
 * {@link #setTiling} says otherwise) are encoded and decoded tile by tile and blended, so callers
 * of {@link #encode}/{@link #decode} get tiling by configuration and a 4K decode needs one tile's
 * activations instead of the whole image's.
 */
public final class AutoencoderKl implements LatentCodec, AutoCloseable {
  /** Query rows per attention block: 4,096 rows × 65,536 keys is 1 GiB of float32 scores. */
  public static final int ATTENTION_QUERY_BLOCK = 4096;

  private final VaeConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> w;
  private final String id;
  private VaeTiling tiling = VaeTiling.DEFAULT;

  private AutoencoderKl(VaeConfig config, Map<String, NDArray> weights, NDManager manager, String id) {
    this.config = config;
    this.w = weights;
    this.manager = manager;
    this.id = id;
  }

  /**
   * Loads {@code vae/} (config and weights) onto {@code device}, into a sub-manager of {@code
   * parent} that the VAE owns. {@code id} tells cached latents of different weights apart (a
   * digest of the weights, for instance).
   *
   * @throws IOException naming the config key, or listing every tensor problem of the checkpoint
   */
  public static AutoencoderKl load(Component component, Device device, NDManager parent, String id) throws IOException {
    VaeConfig config = VaeConfig.from(ConfigJson.of(component));
    NDManager manager = parent.newSubManager(device);
    try {
      return new AutoencoderKl(config, ComponentWeights.load(component, config, manager), manager, id);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** The configuration. */
  public VaeConfig config() {
    return config;
  }

  /** How large images are split; {@link VaeTiling#DEFAULT} unless set. */
  public VaeTiling tiling() {
    return tiling;
  }

  /** Sets how large images are split ({@link VaeTiling#OFF}: never). */
  public void setTiling(VaeTiling tiling) {
    tiling.requireMultiplesOf(config.downsampling());
    this.tiling = tiling;
  }

  @Override
  public int latentChannels() {
    return config.latentChannels();
  }

  @Override
  public int downsampling() {
    return config.downsampling();
  }

  @Override
  public String id() {
    return id;
  }

  /** Images {@code [B, 3, H, W]} in [−1, 1] (H, W multiples of the downsampling) to the raw posterior (not normalised), tile by tile when larger than a tile. */
  public LatentPosterior encodeRawPosterior(NDArray images) {
    requireShape(images, config.inChannels(), config.downsampling(), "images");
    int c = config.latentChannels();
    NDList moments = TiledPass.run(tiling, config.downsampling(), images, config.downsampling(), 1, new int[] {c, c}, tile -> {
      LatentPosterior posterior = encodeWhole(tile);
      return new NDList(posterior.mean(), posterior.std());
    });
    return new LatentPosterior(moments.get(0), moments.get(1));
  }

  /** Raw latents {@code [B, C, h, w]} (not normalised) to images {@code [B, 3, 8h, 8w]}, not clamped; tile by tile when larger than a tile. */
  public NDArray decodeRaw(NDArray latents) {
    requireShape(latents, config.latentChannels(), 1, "latents");
    return TiledPass.run(tiling, config.downsampling(), latents, 1, config.downsampling(), new int[] {config.outChannels()}, tile -> new NDList(decodeWhole(tile))).singletonOrThrow();
  }

  private LatentPosterior encodeWhole(NDArray images) {
    NDArray h = conv(images, "encoder.conv_in", 1);
    int n = config.blockOutChannels().size();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < config.layersPerBlock(); j++) h = resnet(h, "encoder.down_blocks." + i + ".resnets." + j);
      if (i < n - 1) {
        // diffusers pads right and bottom by one, then convolves with stride 2 and no padding.
        h = conv(h.pad(new Shape(0, 1, 0, 1), 0), "encoder.down_blocks." + i + ".downsamplers.0.conv", 2, 0);
      }
    }
    h = midBlock(h, "encoder.mid_block");
    NDArray moments = conv(Activations.silu(groupNorm(h, "encoder.conv_norm_out")), "encoder.conv_out", 1);
    if (config.useQuantConv()) moments = conv(moments, "quant_conv", 0);
    int c = config.latentChannels();
    NDArray mean = moments.get(new NDIndex(":, 0:{}", c));
    NDArray logVariance = moments.get(new NDIndex(":, {}:", c)).clip(-30f, 20f);
    return new LatentPosterior(mean, Constants.times(logVariance, 0.5f).exp());
  }

  private NDArray decodeWhole(NDArray latents) {
    NDArray z = config.usePostQuantConv() ? conv(latents, "post_quant_conv", 0) : latents;
    NDArray h = conv(z, "decoder.conv_in", 1);
    h = midBlock(h, "decoder.mid_block");
    int n = config.blockOutChannels().size();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < config.layersPerBlock() + 1; j++) h = resnet(h, "decoder.up_blocks." + i + ".resnets." + j);
      if (i < n - 1) {
        NDArray in = h;
        String module = "decoder.up_blocks." + i + ".upsamplers.0.conv";
        h = Scoped.runArray(() -> conv(upsampleNearest(in), module, 1));
      }
    }
    NDArray last = h;
    return Scoped.runArray(() -> conv(Activations.silu(groupNorm(last, "decoder.conv_norm_out")), "decoder.conv_out", 1));
  }

  /** The posterior mean in the transformer's latent space, {@code (mean − shift) · scale}. */
  @Override
  public NDArray encode(NDArray images) {
    return normalize(encodeRawPosterior(images).mean());
  }

  /**
   * The posterior in the transformer's latent space: mean {@code (mean − shift) · scale}, std
   * {@code std · scale}, so a draw from it is the normalised draw from the raw posterior.
   */
  @Override
  public LatentPosterior encodePosterior(NDArray images) {
    LatentPosterior raw = encodeRawPosterior(images);
    return new LatentPosterior(normalize(raw.mean()), Constants.times(raw.std(), (float) config.scalingFactor()));
  }

  /** Latents in the transformer's space back to images: {@code decodeRaw(z / scale + shift)}. */
  @Override
  public NDArray decode(NDArray latents) {
    return decodeRaw(Constants.times(latents, (float) (1 / config.scalingFactor())).add(config.shiftFactor()));
  }

  /** Raw latents to the transformer's space: {@code (z − shift) · scale}. */
  public NDArray normalize(NDArray raw) {
    return Constants.times(raw.sub(config.shiftFactor()), (float) config.scalingFactor());
  }

  private NDArray midBlock(NDArray h, String p) {
    h = resnet(h, p + ".resnets.0");
    if (config.midBlockAttention()) {
      NDArray in = h;
      h = Scoped.runArray(() -> attention(in, p + ".attentions.0."));
    }
    return resnet(h, p + ".resnets.1");
  }

  /** One ResNet layer, its intermediates freed when it returns (a dozen full-size maps otherwise live until the pass ends). */
  private NDArray resnet(NDArray x, String p) {
    return Scoped.runArray(() -> {
      NDArray h = conv(Activations.silu(groupNorm(x, p + ".norm1")), p + ".conv1", 1);
      h = conv(Activations.silu(groupNorm(h, p + ".norm2")), p + ".conv2", 1);
      NDArray shortcut = w.containsKey(p + ".conv_shortcut.weight") ? conv(x, p + ".conv_shortcut", 0) : x;
      return shortcut.add(h);
    });
  }

  /** Single-head self-attention over the H·W positions, with a residual connection. */
  private NDArray attention(NDArray x, String p) {
    Shape shape = x.getShape();
    long b = shape.get(0);
    long c = shape.get(1);
    long positions = shape.get(2) * shape.get(3);
    NDArray h = groupNorm(x, p + "group_norm").reshape(b, c, positions).transpose(0, 2, 1);
    NDArray q = Constants.times(linear(h, p + "to_q"), (float) (1 / Math.sqrt(c)));
    NDArray kT = linear(h, p + "to_k").transpose(0, 2, 1);
    NDArray v = linear(h, p + "to_v");
    NDList blocks = new NDList();
    for (long start = 0; start < positions; start += ATTENTION_QUERY_BLOCK) {
      NDArray rows = q.get(new NDIndex(":, {}:{}", start, Math.min(positions, start + ATTENTION_QUERY_BLOCK)));
      blocks.add(rows.matMul(kT).softmax(-1).matMul(v));
    }
    NDArray out = blocks.size() == 1 ? blocks.get(0) : NDArrays.concat(blocks, 1);
    out = linear(out, p + "to_out.0").transpose(0, 2, 1).reshape(shape);
    return out.add(x);
  }

  /** Group norm over {@code norm_num_groups} channel groups, eps 1e-6, with the learned affine. */
  private NDArray groupNorm(NDArray x, String module) {
    Shape shape = x.getShape();
    long b = shape.get(0);
    long c = shape.get(1);
    NDArray grouped = x.reshape(b, config.normNumGroups(), -1);
    NDArray centered = grouped.sub(grouped.mean(new int[] {-1}, true));
    NDArray variance = centered.square().mean(new int[] {-1}, true);
    NDArray normalized = centered.div(variance.add(VaeConfig.NORM_EPS).sqrt()).reshape(shape);
    return normalized.mul(w.get(module + ".weight").reshape(c, 1, 1)).add(w.get(module + ".bias").reshape(c, 1, 1));
  }

  private NDArray conv(NDArray x, String module, int padding) {
    return conv(x, module, 1, padding);
  }

  private NDArray conv(NDArray x, String module, int stride, int padding) {
    return Conv2d.conv2d(x, w.get(module + ".weight"), w.get(module + ".bias"), new Shape(stride, stride), new Shape(padding, padding), new Shape(1, 1), 1)
        .singletonOrThrow();
  }

  private NDArray linear(NDArray x, String module) {
    return x.getNDArrayInternal().linear(x, w.get(module + ".weight"), w.get(module + ".bias")).singletonOrThrow();
  }

  /** Nearest-neighbour 2× upsampling: every pixel becomes a 2×2 block. */
  private static NDArray upsampleNearest(NDArray x) {
    Shape s = x.getShape();
    long b = s.get(0), c = s.get(1), h = s.get(2), wd = s.get(3);
    return x.reshape(b, c, h, 1, wd, 1).broadcast(new Shape(b, c, h, 2, wd, 2)).reshape(b, c, 2 * h, 2 * wd);
  }

  private static void requireShape(NDArray x, int channels, int multiple, String what) {
    Shape s = x.getShape();
    if (s.dimension() != 4 || s.get(1) != channels || s.get(2) % multiple != 0 || s.get(3) % multiple != 0) {
      throw new IllegalArgumentException(what + " must be [B, " + channels + ", H, W] with H and W multiples of " + multiple + ", got " + s);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
