package dev.urae.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;

/** Float comparisons for golden tests. */
public final class Approx {
  private Approx() {}

  /**
   * Asserts equal shapes and {@code max|actual − expected| ≤ relative · max|expected|}: an error
   * relative to the tensor's magnitude, so values near zero do not demand impossible precision.
   */
  public static void assertClose(String what, NDArray actual, NDArray expected, double relative) {
    assertThat(actual.getShape()).as(what + " shape").isEqualTo(expected.getShape());
    float[] a = actual.toFloatArray();
    float[] e = expected.toFloatArray();
    double scale = 0;
    for (float v : e) scale = Math.max(scale, Math.abs(v));
    double worst = 0;
    int at = -1;
    for (int i = 0; i < a.length; i++) {
      double d = Math.abs(a[i] - e[i]);
      if (!(d <= worst)) {
        worst = d;
        at = i;
      }
    }
    assertThat(worst)
        .as("%s: max |diff| %.3g at %d (actual %s, expected %s), tensor scale %.3g", what, worst, at,
            at < 0 ? "-" : a[at], at < 0 ? "-" : e[at], scale)
        .isLessThanOrEqualTo(relative * Math.max(scale, 1e-12));
  }
}
