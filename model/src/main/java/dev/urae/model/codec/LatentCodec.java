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

  /** {@code [B, 3, H, W] → [B, C, H/f, W/f]}: the posterior mean, normalised ({@link #normalize}). */
  NDArray encode(NDArray images);

  /**
   * The encoder's posterior {@code [B, C, H/f, W/f]} before normalisation: what URAE caches per
   * training image, so every step trains on a fresh draw {@code normalize(mean + std·ε)}. A
   * deterministic codec has std 0.
   */
  default LatentPosterior encodePosterior(NDArray images) {
    NDArray mean = encode(images);
    return new LatentPosterior(mean, mean.zerosLike());
  }

  /** Raw latents (a posterior draw) to the transformer's latent space; the identity unless the codec normalises. */
  default NDArray normalize(NDArray raw) {
    return raw;
  }

  /** {@code [B, C, h, w] → [B, 3, h·f, w·f]}. */
  NDArray decode(NDArray latents);

  /** A short identifier stored with cached latents, so caches from different codecs never mix. */
  String id();
}
