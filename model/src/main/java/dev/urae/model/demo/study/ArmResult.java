package dev.urae.model.demo.study;

import java.util.List;
import java.util.Map;

/**
 * What one arm measured: the scores at the target resolution along training ({@code curve},
 * step 0 alone for the base), the scores at the native resolution after training (with the
 * adapter attached: retention), the adapter's trainable parameter count, the mean loss of the
 * last steps, and the wall time. {@code baseWeights} names the base model's weights, so results
 * of another base are recomputed rather than reused.
 */
public record ArmResult(String id, String baseWeights, long trainableParameters, double seconds, double finalLoss, List<ScorePoint> curve,
    Map<String, Double> nativeScores) {
  public ArmResult {
    curve = List.copyOf(curve);
    nativeScores = Map.copyOf(nativeScores);
    if (curve.isEmpty()) throw new IllegalArgumentException("arm " + id + " has no scores");
  }

  /** Scores at the target resolution after {@code step} training steps. */
  public record ScorePoint(int step, Map<String, Double> scores) {
    public ScorePoint {
      scores = Map.copyOf(scores);
    }
  }

  /** The last point's value of a metric at the target resolution. */
  public double finalScore(StudyMetric metric) {
    return curve.get(curve.size() - 1).scores().get(metric.key());
  }

  public double nativeScore(StudyMetric metric) {
    return nativeScores.get(metric.key());
  }
}
