package dev.urae.model.demo.study;

import java.util.List;
import java.util.Locale;

/**
 * A mean over seeds with its 95% confidence interval from Student's t distribution
 * ({@code mean ± t(0.975, n−1)·s/√n}). With one value the interval is unknown (infinite), so
 * nothing measured once can look significant.
 *
 * @param halfWidth half the interval's width; infinite when n < 2
 */
public record Estimate(double mean, double halfWidth, int n) {
  public Estimate {
    if (n < 1) throw new IllegalArgumentException("an estimate needs at least one value, got " + n);
  }

  public static Estimate of(List<Double> values) {
    return of(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  public static Estimate of(double... values) {
    int n = values.length;
    if (n == 0) throw new IllegalArgumentException("an estimate needs at least one value, got none");
    double mean = 0;
    for (double v : values) mean += v;
    mean /= n;
    if (n == 1) return new Estimate(mean, Double.POSITIVE_INFINITY, 1);
    double ss = 0;
    for (double v : values) ss += (v - mean) * (v - mean);
    double sd = Math.sqrt(ss / (n - 1));
    return new Estimate(mean, tQuantile975(n - 1) * sd / Math.sqrt(n), n);
  }

  /**
   * The mean difference {@code a[i] − b[i]} of paired values with its interval. The study pairs
   * by seed: arms of one seed share the render noise and the held-out prompts, so the
   * seed-to-seed spread of the renders cancels and only the difference between arms is measured.
   */
  public static Estimate paired(double[] a, double[] b) {
    if (a.length != b.length) throw new IllegalArgumentException("paired values need equal counts, got " + a.length + " and " + b.length);
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) d[i] = a[i] - b[i];
    return of(d);
  }

  public double low() {
    return mean - halfWidth;
  }

  public double high() {
    return mean + halfWidth;
  }

  /** True when the whole interval lies above zero. */
  public boolean surelyPositive() {
    return low() > 0;
  }

  /** True when the whole interval lies below zero. */
  public boolean surelyNegative() {
    return high() < 0;
  }

  /** "12.34 ± 0.56" with {@code decimals} digits (± ∞ when measured once; "not measurable" when the mean is NaN). */
  public String format(int decimals) {
    if (Double.isNaN(mean)) return "not measurable";
    String f = "%." + decimals + "f";
    String half = Double.isInfinite(halfWidth) ? "∞" : String.format(Locale.ROOT, f, halfWidth);
    return String.format(Locale.ROOT, f, mean) + " ± " + half;
  }

  private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
      2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

  /**
   * The 97.5% quantile of Student's t with {@code df} degrees of freedom: the table for whole df
   * up to 30 (interpolated in 1/df between), the Cornish–Fisher expansion around the normal beyond.
   */
  static double tQuantile975(double df) {
    if (!(df >= 1)) throw new IllegalArgumentException("degrees of freedom must be at least 1, got " + df);
    if (df <= 30) {
      int lo = (int) Math.floor(df);
      if (lo == df || lo == 30) return T975[lo - 1];
      double w = (1 / (double) lo - 1 / df) / (1 / (double) lo - 1 / (double) (lo + 1));
      return T975[lo - 1] + w * (T975[lo] - T975[lo - 1]);
    }
    double z = 1.959964;
    double z3 = z * z * z;
    double z5 = z3 * z * z;
    return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df);
  }
}
