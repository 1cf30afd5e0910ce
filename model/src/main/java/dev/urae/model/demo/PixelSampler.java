package dev.urae.model.demo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.flow.FlowMatchEulerSampler;
import dev.urae.model.flow.FlowMatchSchedule;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flow.TimeShift;
import dev.urae.model.flux.AttentionSettings;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.flux.Packing;
import dev.urae.model.text.TextEmbedding;
import dev.urae.model.text.TextEncoder;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Text-to-image sampling of a FLUX-shaped model in pixel space (the demo world's identity
 * codec): Euler steps from seeded noise along a shifted schedule, with a fixed guidance input.
 * {@link #refine} is the coarse-to-fine mode of training-free pipelines: upsample a coarse image,
 * re-noise it to σ and run only the part of the schedule below σ.
 */
public final class PixelSampler {
  private final FluxTransformer transformer;
  private final TextEncoder encoder;
  private final Settings settings;

  /**
   * How images are sampled.
   *
   * @param shift the time shift for a number of image tokens (FLUX's dynamic shift grows with it)
   */
  public record Settings(int steps, double guidance, IntFunction<TimeShift> shift, AttentionSettings attention) {
    public Settings {
      if (steps < 1) throw new IllegalArgumentException("steps must be 1 or more, got " + steps);
      Objects.requireNonNull(shift, "shift == null");
      Objects.requireNonNull(attention, "attention == null");
    }
  }

  public PixelSampler(FluxTransformer transformer, TextEncoder encoder, Settings settings) {
    this.transformer = Objects.requireNonNull(transformer, "transformer == null");
    this.encoder = Objects.requireNonNull(encoder, "encoder == null");
    this.settings = Objects.requireNonNull(settings, "settings == null");
  }

  /** Renders {@code prompt} at {@code width}×{@code height} (both even) from noise seeded by {@code seed}. */
  public DemoImage render(String prompt, int width, int height, long seed) {
    return sample(prompt, width, height, seed, null, 1);
  }

  /** Finishes {@code coarse} (any size) at {@code width}×{@code height}, starting from {@code sigma} in (0, 1). */
  public DemoImage refine(DemoImage coarse, double sigma, String prompt, int width, int height, long seed) {
    if (!(sigma > 0 && sigma < 1)) throw new IllegalArgumentException("sigma must be between 0 and 1, got " + sigma);
    return sample(prompt, width, height, seed, Objects.requireNonNull(coarse, "coarse == null"), sigma);
  }

  private DemoImage sample(String prompt, int width, int height, long seed, DemoImage coarse, double startSigma) {
    if (width < 2 || height < 2 || width % 2 != 0 || height % 2 != 0) {
      throw new IllegalArgumentException("width and height must be even and at least 2, got " + width + "x" + height);
    }
    try (NDManager scope = transformer.manager().newSubManager()) {
      TextEmbedding text = encoder.encode(prompt, scope);
      NDArray txt = text.sequence().expandDims(0);
      NDArray pooled = text.pooled().expandDims(0);
      NDArray guidance = scope.create(new float[] {(float) settings.guidance()});
      NDArray noise = SeededRandom.seeded(seed).gaussian(scope, new Shape(1, 3, height, width));
      double[] sigmas = FlowMatchSchedule.sigmas(settings.steps(), settings.shift().apply((height / 2) * (width / 2)));
      NDArray start = noise;
      if (coarse != null) {
        // x_σ = (1 − σ)·x₀ + σ·ε, then only the steps below σ
        float s = (float) startSigma;
        NDArray x0 = upsample(coarse, width, height).toTensor(scope).expandDims(0);
        start = x0.mul(1 - s).add(noise.mul(s));
        sigmas = FlowMatchSchedule.from(sigmas, startSigma);
      }
      NDArray packed = new FlowMatchEulerSampler(sigmas).sample((x, sigma) -> transformer.forward(x, txt, pooled,
          x.getManager().create(new float[] {sigma}), guidance, height, width, settings.attention()), Packing.pack(start));
      return DemoImage.fromTensor(Packing.unpack(packed, height, width).squeeze(0));
    }
  }

  /** Bilinear upsampling of an RGB image (pixel centres aligned, edges clamped). */
  static DemoImage upsample(DemoImage image, int width, int height) {
    float[] out = new float[3 * width * height];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < height; y++) {
        double sy = Math.max(0, (y + 0.5) * image.height() / height - 0.5);
        int y0 = (int) sy;
        int y1 = Math.min(y0 + 1, image.height() - 1);
        double fy = sy - y0;
        for (int x = 0; x < width; x++) {
          double sx = Math.max(0, (x + 0.5) * image.width() / width - 0.5);
          int x0 = (int) sx;
          int x1 = Math.min(x0 + 1, image.width() - 1);
          double fx = sx - x0;
          double top = image.get(c, x0, y0) * (1 - fx) + image.get(c, x1, y0) * fx;
          double bottom = image.get(c, x0, y1) * (1 - fx) + image.get(c, x1, y1) * fx;
          out[(c * height + y) * width + x] = (float) (top * (1 - fy) + bottom * fy);
        }
      }
    }
    return new DemoImage(width, height, out);
  }
}
