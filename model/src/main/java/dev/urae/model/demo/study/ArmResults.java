package dev.urae.model.demo.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The finished arms of a study, by arm, with the summaries the sections draw from them. */
public final class ArmResults {
  private final Map<String, ArmResult> byId = new LinkedHashMap<>();

  public void put(ArmSpec arm, ArmResult result) {
    byId.put(arm.id(), result);
  }

  public boolean has(ArmSpec arm) {
    return byId.containsKey(arm.id());
  }

  public boolean hasAll(List<ArmSpec> arms) {
    return arms.stream().allMatch(this::has);
  }

  public ArmResult get(ArmSpec arm) {
    ArmResult result = byId.get(arm.id());
    if (result == null) throw new IllegalStateException("arm " + arm.id() + " has not run");
    return result;
  }

  /** A metric's final value at the target resolution over the arms (one per seed). */
  public Estimate finals(List<ArmSpec> arms, StudyMetric metric) {
    return Estimate.of(finalValues(arms, metric));
  }

  /** A metric's value at the native resolution over the arms (adapters attached). */
  public Estimate natives(List<ArmSpec> arms, StudyMetric metric) {
    return Estimate.of(nativeValues(arms, metric));
  }

  /** The arms' final values at the target resolution, in the arms' (seed) order, for paired comparisons. */
  public double[] finalValues(List<ArmSpec> arms, StudyMetric metric) {
    return arms.stream().mapToDouble(a -> get(a).finalScore(metric)).toArray();
  }

  /** The arms' values at the native resolution, in the arms' (seed) order. */
  public double[] nativeValues(List<ArmSpec> arms, StudyMetric metric) {
    return arms.stream().mapToDouble(a -> get(a).nativeScore(metric)).toArray();
  }

  /**
   * A metric against training steps, averaged over the arms' seeds, starting at step 0 with
   * {@code bases} (the base model scored with the same seeds).
   */
  public Findings.Series curve(String name, List<ArmSpec> arms, List<ArmSpec> bases, StudyMetric metric) {
    TreeMap<Integer, List<Double>> byStep = new TreeMap<>();
    for (ArmSpec base : bases) byStep.computeIfAbsent(0, k -> new ArrayList<>()).add(get(base).finalScore(metric));
    for (ArmSpec arm : arms) {
      for (ArmResult.ScorePoint p : get(arm).curve()) byStep.computeIfAbsent(p.step(), k -> new ArrayList<>()).add(p.scores().get(metric.key()));
    }
    List<Double> x = new ArrayList<>();
    List<Estimate> y = new ArrayList<>();
    byStep.forEach((step, values) -> {
      x.add((double) step);
      y.add(Estimate.of(values));
    });
    return new Findings.Series(name, x, y);
  }

  /**
   * Steps each arm took until the metric first reached {@code threshold} (at its scoring
   * points), as a table cell: the mean with its interval when every seed got there, else how
   * many did not; "not measurable" when the threshold is not.
   */
  public Findings.Cell stepsToReach(List<ArmSpec> arms, StudyMetric metric, double threshold) {
    if (Double.isNaN(threshold)) return Findings.Cell.text("not measurable (" + metric.unmeasurableWhen() + ")");
    List<Double> steps = new ArrayList<>();
    for (ArmSpec arm : arms) {
      for (ArmResult.ScorePoint p : get(arm).curve()) {
        if (metric.reaches(p.scores().get(metric.key()), threshold)) {
          steps.add((double) p.step());
          break;
        }
      }
    }
    if (steps.size() == arms.size()) return Findings.Cell.of(Estimate.of(steps), 0);
    return Findings.Cell.text((arms.size() - steps.size()) + " of " + arms.size() + " seeds not within " + arms.get(0).steps());
  }
}
