package dev.urae.batch.stages;

import java.util.List;

/**
 * The scores the render stage writes for each demo-grammar item ({@code render/<id>.metrics.json},
 * one object per rendering of {@link #MODELS}) and the report stage averages.
 */
public final class RenderMetrics {
  /** The score names, in the order the report shows them. */
  public static final List<String> NAMES = List.of(
      "fidelity", "object_colour_error", "background_colour_error", "texture_detail", "psnr");
  /** Whether a larger value of each score is better, in the order of {@link #NAMES}. */
  public static final List<Boolean> HIGHER_IS_BETTER = List.of(true, false, false, true, true);
  /** The base model at its native resolution: what it is good at, the reference for the others. */
  public static final String BASE_NATIVE = "base_native";
  /** The base model at the item's (target) resolution: the failure adaptation should fix. */
  public static final String BASE = "base";
  /** The adapted model at the item's resolution. */
  public static final String ADAPTED = "adapted";
  /** The renders scored, in the order the report shows them. */
  public static final List<String> MODELS = List.of(BASE_NATIVE, BASE, ADAPTED);

  private RenderMetrics() {}
}
