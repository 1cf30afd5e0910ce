package dev.urae.model.base;

import java.awt.image.BufferedImage;
import java.util.Optional;

/** The exact image of prompts a model's world knows (the demo grammar): references for the report, scores for renders. */
public interface GroundTruth {

  /** The exact image of {@code prompt}, or empty when the world does not know it (or not at this size). */
  Optional<BufferedImage> reference(String prompt, int width, int height, long seed);

  /** How close {@code render} is to the exact image of {@code prompt}, or empty when the world does not know it. */
  Optional<ImageScore> score(String prompt, Renderer.Image render);
}
