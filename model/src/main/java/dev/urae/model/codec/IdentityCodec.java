package dev.urae.model.codec;

import ai.djl.ndarray.NDArray;

/**
 * Pixel space: the latent is the RGB image itself (3 channels, no downsampling), so a 64×64
 * image becomes 32×32 = 1,024 tokens of 12 packed channels. Used by the demo base model.
 */
public final class IdentityCodec implements LatentCodec {
  @Override
  public int latentChannels() {
    return 3;
  }

  @Override
  public int downsampling() {
    return 1;
  }

  @Override
  public NDArray encode(NDArray images) {
    requireImage(images);
    return images.duplicate();
  }

  /** The image itself as the mean, std 0: pixel space has no encoder noise. */
  @Override
  public LatentPosterior encodePosterior(NDArray images) {
    NDArray mean = encode(images);
    return new LatentPosterior(mean, mean.zerosLike());
  }

  @Override
  public NDArray decode(NDArray latents) {
    requireImage(latents);
    return latents.duplicate();
  }

  @Override
  public String id() {
    return "identity-rgb";
  }

  private static void requireImage(NDArray x) {
    if (x.getShape().dimension() != 4 || x.getShape().get(1) != 3) {
      throw new IllegalArgumentException("expected [B, 3, H, W], got " + x.getShape());
    }
  }
}
