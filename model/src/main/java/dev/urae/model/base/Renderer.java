package dev.urae.model.base;

import dev.urae.model.flow.TimeShift;
import dev.urae.model.flux.AttentionSettings;
import java.awt.image.BufferedImage;
import java.util.Objects;
import java.util.function.IntFunction;

/** Text-to-image sampling with a base model: from seeded noise, or finishing a coarse render. */
public interface Renderer {

  /**
   * How images are sampled.
   *
   * @param shift the time shift for a number of image tokens (FLUX's dynamic shift grows with it)
   */
  record Settings(int steps, double guidance, IntFunction<TimeShift> shift, AttentionSettings attention) {
    public Settings {
      if (steps < 1) throw new IllegalArgumentException("steps must be 1 or more, got " + steps);
      Objects.requireNonNull(shift, "shift == null");
      Objects.requireNonNull(attention, "attention == null");
    }
  }

  /** A render, kept at the model's own precision until it is written or scored. */
  interface Image {
    BufferedImage toBufferedImage();
  }

  /** Renders {@code prompt} at {@code width}×{@code height} from noise seeded by {@code seed}. */
  Image render(String prompt, int width, int height, long seed);

  /** Finishes {@code coarse} at {@code width}×{@code height}, starting from {@code sigma} in (0, 1). */
  Image refine(Image coarse, double sigma, String prompt, int width, int height, long seed);
}
