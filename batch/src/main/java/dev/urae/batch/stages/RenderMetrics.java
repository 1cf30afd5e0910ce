package dev.urae.batch.stages;

import java.util.List;

/**
 * The scores the render stage writes for each demo-grammar item ({@code render/<id>.metrics.json},
 * for the base model and the adapted one) and the report stage averages.
 */
public final class RenderMetrics {
  /** The score names, in the order the report shows them. */
  public static final List<String> NAMES = List.of(
      "fidelity", "object_colour_error", "background_colour_error", "texture_detail", "psnr");

  private RenderMetrics() {}
}
