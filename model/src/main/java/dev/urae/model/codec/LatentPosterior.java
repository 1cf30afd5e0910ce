package dev.urae.model.codec;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * An encoder's diagonal Gaussian over latents, {@code [B, C, h, w]} each ({@code [C, h, w]} per cached item): what URAE caches per
 * training image, drawing {@code z = mean + std·ε} afresh at every training step ({@link
 * #sample}). {@link LatentCodec#encodePosterior} gives it in the transformer's latent space;
 * the VAE also gives the raw one, before the latent normalisation.
 */
public record LatentPosterior(NDArray mean, NDArray std) {
  public LatentPosterior {
    Objects.requireNonNull(mean, "mean == null");
    Objects.requireNonNull(std, "std == null");
    if (!mean.getShape().equals(std.getShape())) throw new IllegalArgumentException("mean " + mean.getShape() + " and std " + std.getShape() + " differ in shape");
  }

  /** {@code mean + std·noise}, with {@code noise} standard normal of the same shape. */
  public NDArray sample(NDArray noise) {
    return mean.add(std.mul(noise));
  }

  /** Whether std is 0 everywhere (a deterministic codec): every draw is the mean, so no noise is needed. */
  public boolean deterministic() {
    return std.abs().max().getFloat() == 0f;
  }
}
