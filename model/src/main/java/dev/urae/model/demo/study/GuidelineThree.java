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
      return new Findings("guideline-3", title, CLAIM, List.of(), List.of(), Verdict.NOT_APPLICABLE,
          plan.facts().guidanceInput()
              ? "this base has a guidance input but renders with guidance " + TheoremOneSection.fmt(plan.facts().renderGuidance())
                  + ": it is not guidance-distilled, so there is no distilled guidance to keep or erode"
              : "this base has no guidance input",
          List.of("Run the study on a guidance-distilled base (a guidance input and a render guidance above 1) to test this guideline."));
    }
    StudyMetric m = StudyMetric.PRIMARY;
    double g = plan.facts().renderGuidance();
    List<ArmSpec> bases = plan.perSeed(plan::base);
    List<Findings.Series> series = new ArrayList<>();
    List<List<Cell>> rows = new ArrayList<>();
    for (double trainGuidance : List.of(1.0, g)) {
      List<ArmSpec> arms = at(trainGuidance);
      series.add(done.curve("adapted with guidance " + TheoremOneSection.fmt(trainGuidance), arms, bases, m));
      List<Cell> row = new ArrayList<>(List.of(Cell.text(TheoremOneSection.fmt(trainGuidance))));
      for (StudyMetric metric : StudyMetric.values()) row.add(Cell.of(done.finals(arms, metric), metric.decimals()));
      rows.add(row);
    }
    List<String> header = new ArrayList<>(List.of("guidance while adapting"));
    for (StudyMetric metric : StudyMetric.values()) header.add(metric.label() + " at g = " + TheoremOneSection.fmt(g));
    Estimate gain = m.gain(done.finalValues(at(1), m), done.finalValues(at(g), m));
    Verdict verdict = Verdict.onGain(gain);
    String reason = String.format(Locale.ROOT, "adapted at 1.0 minus adapted at %s, both rendered at %s: %s %s (%s)", TheoremOneSection.fmt(g), TheoremOneSection.fmt(g),
        gain.format(m.decimals()), m.label(), verdict.label());
    List<String> notes = new ArrayList<>();
    if (verdict == Verdict.NOT_SUPPORTED) {
      notes.add("Likely reason: over a budget this short the guidance embedding moves little either way; the paper's erosion builds up over thousands of steps.");
    }
    return new Findings("guideline-3", title, CLAIM,
        List.of(new Findings.Plot(m.label() + " at g = " + TheoremOneSection.fmt(g) + " by training step", "step", m.label(), series)),
        List.of(new Findings.Table("Final scores at the render guidance, mean ± 95% CI over seeds", header, rows)), verdict, reason, notes);
  }
}
