package dev.urae.model.flow;

import java.util.random.RandomGenerator;

/**
 * Draws training noise levels σ ∈ (0, 1) from a caller-supplied generator, so a trainer that
 * checkpoints its generator (see {@link SeededRandom#state()}) resumes the same σ sequence.
 */
public interface SigmaSampler {
  /** One σ. */
  double sample(RandomGenerator random);

  /** {@code n} σ values as floats. */
  default float[] sample(RandomGenerator random, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) out[i] = (float) sample(random);
    return out;
  }

  /** σ ~ U(0, 1). */
  static SigmaSampler uniform() {
    return random -> random.nextDouble();
  }

  /**
   * σ = s·u / (1 + (s − 1)·u) with u ~ U(0, 1): uniform σ under the time shift s, so that s > 1
   * spends more steps at high noise, where the layout of an image is decided (s = 3 puts 43% of
   * the draws above σ = 0.8, uniform 20%).
   */
  static SigmaSampler shifted(double shift) {
    if (!(shift > 0)) throw new IllegalArgumentException("shift must be positive, got " + shift);
    return random -> {
      double u = random.nextDouble();
      return shift * u / (1 + (shift - 1) * u);
    };
  }

  /** σ = sigmoid(m + s·z) with z ~ N(0, 1) (SD3/FLUX training; m = 0, s = 1 is usual). */
  static SigmaSampler logitNormal(double mean, double std) {
    if (!(std > 0)) throw new IllegalArgumentException("std must be positive, got " + std);
    return random -> 1.0 / (1.0 + Math.exp(-(mean + std * random.nextGaussian())));
  }
}
