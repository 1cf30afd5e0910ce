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
   * The difference {@code a − b} of two independent estimates (Welch): its interval uses the
   * Welch–Satterthwaite degrees of freedom, so unequal spreads are honoured.
   */
  public static Estimate difference(Estimate a, Estimate b) {
    int n = Math.min(a.n, b.n);
    if (a.n < 2 || b.n < 2) return new Estimate(a.mean - b.mean, Double.POSITIVE_INFINITY, n);
    double va = Math.pow(a.halfWidth / tQuantile975(a.n - 1), 2);
    double vb = Math.pow(b.halfWidth / tQuantile975(b.n - 1), 2);
    double se = Math.sqrt(va + vb);
    if (se == 0) return new Estimate(a.mean - b.mean, 0, n);
    double df = (va + vb) * (va + vb) / (va * va / (a.n - 1) + vb * vb / (b.n - 1));
    return new Estimate(a.mean - b.mean, tQuantile975(df) * se, n);
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

  /** "12.34 ± 0.56" with {@code decimals} digits (± ∞ when measured once). */
  public String format(int decimals) {
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
