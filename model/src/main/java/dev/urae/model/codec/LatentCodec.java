package dev.urae.model.codec;

import ai.djl.ndarray.NDArray;

/**
 * Maps images to the latent space the transformer works in and back. Images are float tensors
 * {@code [B, 3, H, W]} in [−1, 1]; latents are {@code [B, C, H/f, W/f]} before 2×2 packing.
 * The FLUX VAE (16 channels, f = 8) is one implementation; the embedded default is {@link
 * IdentityCodec} (pixel space).
 */
public interface LatentCodec {
  /** Latent channels C. */
  int latentChannels();

  /** Spatial downsampling factor f. */
  int downsampling();

  /** {@code [B, 3, H, W] → [B, C, H/f, W/f]}: the posterior's mean. */
  NDArray encode(NDArray images);

  /**
   * The encoder's Gaussian over latents, in the same space as {@link #encode} (whose result is
   * its mean): what the cache stage keeps per training image, so that training can draw
   * {@code z = mean + std·ε} afresh at every step, as URAE does. A deterministic codec has std 0.
   */
  LatentPosterior encodePosterior(NDArray images);

  /** {@code [B, C, h, w] → [B, 3, h·f, w·f]}. */
  NDArray decode(NDArray latents);

  /** A short identifier stored with cached latents, so caches from different codecs never mix. */
  String id();
}
