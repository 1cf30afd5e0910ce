package dev.urae.model.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.flux.FluxTransformer;

/** The tiny preset with fixed random weights and one fixed input, for output comparisons. */
final class TinyModel {
  private TinyModel() {}

  static FluxTransformer create(NDManager manager) {
    return FluxTransformer.random(FluxPresets.TINY, 5, manager);
  }

  /** The velocity for a 4x4 latent, 3 text tokens, σ 0.6, guidance 1. */
  static float[] output(FluxTransformer model) {
    try (NDManager scope = model.manager().newSubManager()) {
      SeededRandom random = SeededRandom.seeded(99);
      NDArray x = random.gaussian(scope, new Shape(1, 4, 16));
      NDArray txt = random.gaussian(scope, new Shape(1, 3, 24));
      NDArray pooled = random.gaussian(scope, new Shape(1, 20));
      NDArray sigma = scope.create(new float[] {0.6f});
      NDArray guidance = scope.create(new float[] {1f});
      return model.forward(x, txt, pooled, sigma, guidance, 4, 4).toFloatArray();
    }
  }

  static float maxAbsDiff(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
    return max;
  }

  static float maxAbs(float[] a) {
    float max = 0;
    for (float v : a) max = Math.max(max, Math.abs(v));
    return max;
  }

  /** Gives every trainable array of {@code adapter} random values, as training would. */
  static void perturb(Adapter adapter, long seed) {
    SeededRandom random = SeededRandom.seeded(seed);
    java.util.Map<String, float[]> values = new java.util.LinkedHashMap<>();
    adapter.parameters().forEach((name, p) -> {
      float[] v = p.toFloatArray();
      float[] noise = random.gaussians(v.length);
      for (int i = 0; i < v.length; i++) v[i] += 0.05f * noise[i];
      values.put(name, v);
    });
    adapter.setParameters(values);
  }
}
