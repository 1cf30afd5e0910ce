package dev.urae.model.demo.study;

import java.util.Arrays;
import java.util.Locale;

/**
 * A paired comparison of two conditions on the metric a claim is about, and the verdict it
 * supports. A metric that cannot separate the conditions gives no verdict either way: one that
 * is not measurable (texture detail with no textured object in view) or one that takes the same
 * value in every arm of both (fidelity 0 everywhere from a base that draws no layout, or 1
 * everywhere) is inconclusive with that reason, never "supported" on an interval of zero width.
 */
public record Comparison(StudyMetric metric, Estimate gain, Verdict verdict, String caveat) {
  /** {@code predictedBetter[i]} against {@code other[i]} (paired by seed), positive gain meaning what the paper predicts. */
  public static Comparison of(StudyMetric metric, double[] predictedBetter, double[] other) {
    Estimate gain = metric.gain(predictedBetter, other);
    if (!Double.isFinite(gain.mean())) {
      return new Comparison(metric, gain, Verdict.INCONCLUSIVE, metric.label() + " is not measurable here (" + metric.unmeasurableWhen() + ")");
    }
    double first = predictedBetter[0];
    if (Arrays.stream(predictedBetter).allMatch(v -> v == first) && Arrays.stream(other).allMatch(v -> v == first)) {
      return new Comparison(metric, gain, Verdict.INCONCLUSIVE,
          String.format(Locale.ROOT, "%s is %." + metric.decimals() + "f in every arm of both conditions, so it cannot tell them apart here", metric.label(), first));
    }
    return new Comparison(metric, gain, Verdict.onGain(gain), "");
  }

  /** "+0.12 ± 0.05 texture detail (supported)", with the caveat when there is one. */
  public String describe() {
    return gain.format(metric.decimals()) + " " + metric.label() + " (" + verdict.label() + (caveat.isEmpty() ? "" : ": " + caveat) + ")";
  }
}
