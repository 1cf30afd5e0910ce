package dev.urae.model.demo.study;

import dev.urae.model.demo.DemoScore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The demo metric's figures as the study records them, each with the direction that is better. */
public enum StudyMetric {
  PSNR("psnr", "PSNR dB", true, 2, DemoScore::psnr),
  TEXTURE_DETAIL("textureDetail", "texture detail", true, 3, DemoScore::textureDetail),
  OBJECT_COLOUR_ERROR("objectColourError", "object colour error", false, 3, DemoScore::objectColourError),
  BACKGROUND_COLOUR_ERROR("backgroundColourError", "background colour error", false, 3, DemoScore::backgroundColourError),
  FIDELITY("fidelity", "fidelity", true, 3, DemoScore::fidelity);

  private final String key;
  private final String label;
  private final boolean higherIsBetter;
  private final int decimals;
  private final ToDoubleFunction<DemoScore> value;

  StudyMetric(String key, String label, boolean higherIsBetter, int decimals, ToDoubleFunction<DemoScore> value) {
    this.key = key;
    this.label = label;
    this.higherIsBetter = higherIsBetter;
    this.decimals = decimals;
    this.value = value;
  }

  public String key() {
    return key;
  }

  public String label() {
    return label;
  }

  public int decimals() {
    return decimals;
  }

  /** The per-seed differences {@code a[i] − b[i]} (see {@link Estimate#paired}), turned so that positive means a is better. */
  public Estimate gain(double[] a, double[] b) {
    return higherIsBetter ? Estimate.paired(a, b) : Estimate.paired(b, a);
  }

  /** Why a score of this metric can be missing (NaN). */
  public String unmeasurableWhen() {
    return this == TEXTURE_DETAIL ? "no held-out object has a texture at this resolution" : "no score";
  }

  /** True when {@code value} is at least as good as {@code threshold}. */
  public boolean reaches(double value, double threshold) {
    return higherIsBetter ? value >= threshold : value <= threshold;
  }

  /** Every figure of a score, by key. */
  public static Map<String, Double> all(DemoScore score) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (StudyMetric m : values()) values.put(m.key, m.value.applyAsDouble(score));
    return values;
  }
}
