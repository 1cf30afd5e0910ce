package dev.urae.model.plan;

import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.adapter.AdapterTargets;
import dev.urae.model.flux.FluxConfig;
import dev.urae.model.vae.VaeConfig;
import dev.urae.model.vae.VaeTiling;
import java.util.Objects;

/**
 * What one run asks of a device: the model's shapes, the resolution, the adapter, the precision.
 *
 * @param vae the latent codec, or null for the pixel-space demo model
 * @param textEncoderParameters parameters of the text encoders the cache stage loads (0: none on the device)
 * @param weightBytes bytes per frozen weight (bf16: 2, fp32: 4); 2 is bf16 mixed precision
 *     ({@code nn.Precision.BF16}), which also keeps checkpointed block inputs in bf16. Other
 *     activations are float32 whatever the weights (the bf16 path casts each product back)
 * @param fusedCopies whether the build keeps a concatenated copy of fused q/k/v(/mlp) weights
 * @param vaeTile side in pixels of the VAE's tiles
 */
public record Workload(
    String modelName, FluxConfig transformer, VaeConfig vae, long textEncoderParameters, int textTokens, int width, int height,
    AdapterKind adapter, int rank, AdapterTargets targets, String optimizer, int weightBytes, boolean checkpointing,
    boolean fusedCopies, int vaeTile, long deviceBytes) {

  public Workload {
    Objects.requireNonNull(transformer, "transformer == null");
    Objects.requireNonNull(adapter, "adapter == null");
    Objects.requireNonNull(targets, "targets == null");
    if (width < 16 || height < 16) throw new IllegalArgumentException("width and height must be at least 16, got " + width + "x" + height);
    int multiple = 2 * (vae == null ? 1 : vae.downsampling());
    if (width % multiple != 0 || height % multiple != 0) {
      throw new IllegalArgumentException("width and height must be multiples of " + multiple + " for " + modelName + ", got " + width + "x" + height);
    }
    if (rank < 1) throw new IllegalArgumentException("rank must be positive, got " + rank);
    if (weightBytes != 2 && weightBytes != 4) throw new IllegalArgumentException("weight bytes must be 2 or 4, got " + weightBytes);
    if (vaeTile < 64) throw new IllegalArgumentException("VAE tile must be at least 64 pixels, got " + vaeTile);
    if (deviceBytes <= 0) throw new IllegalArgumentException("device memory must be positive, got " + deviceBytes);
  }

  /** The tile side the plan counts for {@code tiling}: its tile, or the whole image when tiling is off. */
  public static int vaeTileSide(VaeTiling tiling, int width, int height) {
    return tiling.enabled() ? tiling.tile() : Math.max(64, Math.max(width, height));
  }

  /** Packed image tokens: latent (pixels / downsampling) packed 2×2. */
  public long imageTokens() {
    int down = vae == null ? 1 : vae.downsampling();
    return (long) (width / down / 2) * (height / down / 2);
  }
}
