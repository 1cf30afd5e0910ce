package dev.urae.model.demo.study;

import dev.urae.model.demo.study.Findings.Cell;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Guideline 3: the guidance input while adapting. On a guidance-distilled base, the pipeline's
 * standard adaptation on the good teacher's images, once with the guidance input at 1.0 (URAE)
 * and once at the render guidance (3.5 for FLUX.1-dev); both scored at the render guidance. On
 * a base without distilled guidance the comparison means nothing and no arm runs.
 */
public final class GuidelineThree implements StudySection {
  private static final String CLAIM = "Adapting a guidance-distilled model with its guidance input at 1.0 (not the 3.5 used at inference) keeps the distilled "
      + "guidance intact; training at 3.5 erodes it, so at g = 3.5 the model adapted at 1.0 renders better.";
  /** The metric the verdict is on: the distilled guidance is what makes a render follow its prompt, so fidelity (each asked-for object there, in its colour). */
  static final StudyMetric METRIC = StudyMetric.FIDELITY;
  private final StudyPlan plan;

  public GuidelineThree(StudyPlan plan) {
    this.plan = plan;
  }

  private List<ArmSpec> at(double trainGuidance) {
    return plan.perSeed(seed -> plan.recipe(seed, 1, plan.settings().goodTeacher(), trainGuidance));
  }

  @Override
  public List<ArmSpec> arms(ArmResults done) {
    if (!plan.facts().guidanceDistilled()) return List.of();
    List<ArmSpec> arms = new ArrayList<>(plan.perSeed(plan::base));
    arms.addAll(at(1));
    arms.addAll(at(plan.facts().renderGuidance()));
    return arms;
  }

  @Override
  public Findings findings(ArmResults done) {
    String title = "Guideline 3: guidance 1.0 vs " + (plan.facts().guidanceDistilled() ? TheoremOneSection.fmt(plan.facts().renderGuidance()) : "3.5") + " while adapting";
    if (!plan.facts().guidanceDistilled()) {
      return new Findings("guideline-3", title, CLAIM, List.of(), List.of(), Verdict.NOT_APPLICABLE, decidedOn(),
          plan.facts().guidanceInput()
              ? "this base has a guidance input but renders with guidance " + TheoremOneSection.fmt(plan.facts().renderGuidance())
                  + ": it is not guidance-distilled, so there is no distilled guidance to keep or erode"
              : "this base has no guidance input",
          List.of("Run the study on a guidance-distilled base (a guidance input and a render guidance above 1) to test this guideline."));
    }
    StudyMetric m = METRIC;
    double g = plan.facts().renderGuidance();
    List<ArmSpec> bases = plan.perSeed(plan::base);
    List<Findings.Plot> plots = new ArrayList<>();
    for (StudyMetric plotted : List.of(m, StudyMetric.PSNR)) {
      List<Findings.Series> series = new ArrayList<>();
      for (double trainGuidance : List.of(1.0, g)) series.add(done.curve("adapted with guidance " + TheoremOneSection.fmt(trainGuidance), at(trainGuidance), bases, plotted));
      plots.add(new Findings.Plot(plotted.label() + " at g = " + TheoremOneSection.fmt(g) + " by training step", "step", plotted.label(), series));
    }
    List<List<Cell>> rows = new ArrayList<>();
    for (double trainGuidance : List.of(1.0, g)) {
      List<Cell> row = new ArrayList<>(List.of(Cell.text(TheoremOneSection.fmt(trainGuidance))));
      for (StudyMetric metric : StudyMetric.values()) row.add(Cell.of(done.finals(at(trainGuidance), metric), metric.decimals()));
      rows.add(row);
    }
    List<String> header = new ArrayList<>(List.of("guidance while adapting"));
    for (StudyMetric metric : StudyMetric.values()) header.add(metric.label() + " at g = " + TheoremOneSection.fmt(g));
    Comparison gain = Comparison.of(m, done.finalValues(at(1), m), done.finalValues(at(g), m));
    Estimate psnr = StudyMetric.PSNR.gain(done.finalValues(at(1), StudyMetric.PSNR), done.finalValues(at(g), StudyMetric.PSNR));
    Verdict verdict = gain.verdict();
    String reason = String.format(Locale.ROOT, "adapted at 1.0 minus adapted at %s, both rendered at %s: %s; in PSNR: %s dB", TheoremOneSection.fmt(g), TheoremOneSection.fmt(g),
        gain.describe(), psnr.format(StudyMetric.PSNR.decimals()));
    List<String> notes = new ArrayList<>();
    if (verdict == Verdict.NOT_SUPPORTED) {
      notes.add("Likely reason: over a budget this short the guidance embedding moves little either way; the paper's erosion builds up over thousands of steps.");
    }
    return new Findings("guideline-3", title, CLAIM, plots, List.of(new Findings.Table("Final scores at the render guidance, mean ± 95% CI over seeds", header, rows)),
        verdict, decidedOn(), reason, notes);
  }

  private String decidedOn() {
    return METRIC.label() + " at " + plan.facts().targetResolution() + "×" + plan.facts().targetResolution()
        + " rendered at the inference guidance: the distilled guidance is what makes a render follow its prompt";
  }
}
