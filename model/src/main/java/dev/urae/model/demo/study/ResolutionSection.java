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
  /** The metric the verdict is on: whether the model draws the prompt's layout at the target resolution, as the base does at its native one. */
  static final StudyMetric METRIC = StudyMetric.FIDELITY;
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
    for (StudyMetric metric : StudyMetric.values()) {
      header.add(metric.label());
      baseNative.add(Cell.of(done.natives(bases, metric), metric.decimals()));
      baseTarget.add(Cell.of(done.finals(bases, metric), metric.decimals()));
      adaptedTarget.add(Cell.of(done.finals(adapted, metric), metric.decimals()));
    }
    rows.add(baseNative);
    rows.add(baseTarget);
    rows.add(adaptedTarget);
    StudyMetric m = METRIC;
    List<Findings.Plot> plots = new ArrayList<>();
    for (StudyMetric plotted : List.of(m, StudyMetric.PSNR)) {
      plots.add(new Findings.Plot(plotted.label() + " by training step: adapted at " + target + " vs base at " + nativeRes, "step", plotted.label(),
          List.of(done.curve("adapted at " + target, adapted, bases, plotted), new Findings.Series("base at " + nativeRes + " (native)",
              List.of(0.0, (double) plan.settings().steps()), List.of(done.natives(bases, plotted), done.natives(bases, plotted))))));
    }
    Comparison gain = Comparison.of(m, done.finalValues(adapted, m), done.finalValues(bases, m));
    Estimate psnr = StudyMetric.PSNR.gain(done.finalValues(adapted, StudyMetric.PSNR), done.finalValues(bases, StudyMetric.PSNR));
    String reason = String.format(Locale.ROOT, "adapted minus base at %d: %s; the base at its native %d: %s %s; in PSNR at %d: %s dB", target, gain.describe(), nativeRes,
        m.label(), done.natives(bases, m).format(m.decimals()), target, psnr.format(StudyMetric.PSNR.decimals()));
    return new Findings("resolution", "Adapted vs base at the target resolution",
        "Adaptation lifts the model at the target resolution above the base there, towards what the base achieves at its native resolution.",
        plots, List.of(new Findings.Table("Mean ± 95% CI over seeds (base at " + nativeRes + " scored against the truth at " + nativeRes + ")", header, rows)),
        gain.verdict(), m.label() + " at " + target + "×" + target + ": whether the model draws the prompt's layout at the new resolution, as the base does at "
            + nativeRes, reason, List.of());
  }
}
