package dev.urae.model.demo.study;

import dev.urae.model.demo.study.Findings.Cell;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Adapted vs base at the target resolution, both beside the base at its native resolution: the
 * pipeline's standard adaptation on the good teacher's images (guideline 1's all-synthetic arms).
 */
public final class ResolutionSection implements StudySection {
  private final StudyPlan plan;

  public ResolutionSection(StudyPlan plan) {
    this.plan = plan;
  }

  private List<ArmSpec> adapted() {
    return plan.perSeed(seed -> plan.recipe(seed, 1, plan.settings().goodTeacher()));
  }

  @Override
  public List<ArmSpec> arms(ArmResults done) {
    List<ArmSpec> arms = new ArrayList<>(plan.perSeed(plan::base));
    arms.addAll(adapted());
    return arms;
  }

  @Override
  public Findings findings(ArmResults done) {
    int target = plan.facts().targetResolution();
    int nativeRes = plan.facts().nativeResolution();
    List<ArmSpec> bases = plan.perSeed(plan::base);
    List<ArmSpec> adapted = adapted();
    List<List<Cell>> rows = new ArrayList<>();
    List<Cell> baseNative = new ArrayList<>(List.of(Cell.text("base"), Cell.text(nativeRes + "×" + nativeRes + " (native)")));
    List<Cell> baseTarget = new ArrayList<>(List.of(Cell.text("base"), Cell.text(target + "×" + target)));
    List<Cell> adaptedTarget = new ArrayList<>(List.of(Cell.text("adapted (" + adapted.get(0).kind().label() + " r" + adapted.get(0).rank() + ", " + plan.settings().steps() + " steps)"),
        Cell.text(target + "×" + target)));
    List<String> header = new ArrayList<>(List.of("model", "resolution"));
    List<Findings.Series> bars = new ArrayList<>();
    for (StudyMetric metric : StudyMetric.values()) {
      header.add(metric.label());
      baseNative.add(Cell.of(done.natives(bases, metric), metric.decimals()));
      baseTarget.add(Cell.of(done.finals(bases, metric), metric.decimals()));
      adaptedTarget.add(Cell.of(done.finals(adapted, metric), metric.decimals()));
    }
    rows.add(baseNative);
    rows.add(baseTarget);
    rows.add(adaptedTarget);
    StudyMetric m = StudyMetric.PRIMARY;
    bars.add(done.curve("adapted at " + target, adapted, bases, m));
    bars.add(new Findings.Series("base at " + nativeRes + " (native)", List.of(0.0, (double) plan.settings().steps()),
        List.of(done.natives(bases, m), done.natives(bases, m))));
    Estimate gain = m.gain(done.finalValues(adapted, m), done.finalValues(bases, m));
    Verdict verdict = Verdict.onGain(gain);
    String reason = String.format(Locale.ROOT, "adapted minus base at %d: %s %s (%s); the base at its native %d scores %s", target, gain.format(m.decimals()), m.label(),
        verdict.label(), nativeRes, done.natives(bases, m).format(m.decimals()));
    return new Findings("resolution", "Adapted vs base at the target resolution",
        "Adaptation lifts the model at the target resolution above the base there, towards what the base achieves at its native resolution.",
        List.of(new Findings.Plot(m.label() + " by training step: adapted at " + target + " vs base at " + nativeRes, "step", m.label(), bars)),
        List.of(new Findings.Table("Mean ± 95% CI over seeds (base at " + nativeRes + " scored against the truth at " + nativeRes + ")", header, rows)),
        verdict, reason, List.of());
  }
}
