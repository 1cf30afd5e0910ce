package dev.urae.model.demo.study;

import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.demo.study.Findings.Cell;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Guideline 2: minor components vs LoRA when no good teacher exists. Both kinds at the rank
 * scaled to the base's width (equal rank gives equal trainable parameters: r·(in + out) per
 * layer for either kind), each at its own best learning rate from a sweep on the real set with
 * a seed of its own; then both trained on the real photographs and on a poor teacher. Measured:
 * the target-resolution metric and retention (the native resolution's scores with the adapter
 * attached, against the base's).
 */
public final class GuidelineTwo implements StudySection {
  private static final List<AdapterKind> KINDS = List.of(AdapterKind.LORA, AdapterKind.MINOR);
  private final StudyPlan plan;

  public GuidelineTwo(StudyPlan plan) {
    this.plan = plan;
  }

  private ArmSpec sweepArm(AdapterKind kind, double rate) {
    return plan.scaled(plan.sweepSeed(), kind, rate, 0, 0);
  }

  private List<ArmSpec> sweep() {
    List<ArmSpec> arms = new ArrayList<>();
    for (AdapterKind kind : KINDS) for (double rate : plan.settings().sweepRates()) arms.add(sweepArm(kind, rate));
    return arms;
  }

  /** The swept rate with the best final primary metric for {@code kind}. */
  private double bestRate(AdapterKind kind, ArmResults done) {
    StudyMetric m = StudyMetric.PRIMARY;
    double best = Double.NaN;
    double bestRate = plan.settings().sweepRates().get(0);
    for (double rate : plan.settings().sweepRates()) {
      double v = done.get(sweepArm(kind, rate)).finalScore(m);
      if (Double.isNaN(best) || m.reaches(v, best) && v != best) {
        best = v;
        bestRate = rate;
      }
    }
    return bestRate;
  }

  /** Training data conditions: label, synthetic share, teacher error. */
  private record Data(String label, double share, double delta) {}

  private List<Data> data() {
    return List.of(new Data("real photographs", 0, 0),
        new Data("poor teacher (δ = " + TheoremOneSection.fmt(plan.settings().poorTeacher()) + ")", 1, plan.settings().poorTeacher()));
  }

  private List<ArmSpec> main(AdapterKind kind, Data data, double rate) {
    return plan.perSeed(seed -> plan.scaled(seed, kind, rate, data.share(), data.delta()));
  }

  @Override
  public List<ArmSpec> arms(ArmResults done) {
    List<ArmSpec> arms = new ArrayList<>(plan.perSeed(plan::base));
    arms.addAll(sweep());
    if (!done.hasAll(sweep())) return arms;
    for (AdapterKind kind : KINDS) for (Data d : data()) arms.addAll(main(kind, d, bestRate(kind, done)));
    return arms;
  }

  @Override
  public Findings findings(ArmResults done) {
    StudyMetric m = StudyMetric.PRIMARY;
    int target = plan.facts().targetResolution();
    int nativeRes = plan.facts().nativeResolution();
    List<ArmSpec> bases = plan.perSeed(plan::base);
    double[] baseNative = done.nativeValues(bases, m);

    List<List<Cell>> sweepRows = new ArrayList<>();
    for (AdapterKind kind : KINDS) {
      double best = bestRate(kind, done);
      for (double rate : plan.settings().sweepRates()) {
        ArmResult r = done.get(sweepArm(kind, rate));
        sweepRows.add(List.of(Cell.text(kind.label()), Cell.text(String.valueOf(rate)), Cell.text(String.format(Locale.ROOT, "%.2f", r.finalScore(m))),
            Cell.text(rate == best ? "chosen" : "")));
      }
    }
    List<List<Cell>> rows = new ArrayList<>();
    List<Findings.Series> series = new ArrayList<>();
    double[][][] finals = new double[KINDS.size()][][];
    double[][][] retention = new double[KINDS.size()][][];
    for (int k = 0; k < KINDS.size(); k++) {
      AdapterKind kind = KINDS.get(k);
      double rate = bestRate(kind, done);
      finals[k] = new double[data().size()][];
      retention[k] = new double[data().size()][];
      for (int d = 0; d < data().size(); d++) {
        Data data = data().get(d);
        List<ArmSpec> arms = main(kind, data, rate);
        finals[k][d] = done.finalValues(arms, m);
        retention[k][d] = done.nativeValues(arms, m);
        for (int s = 0; s < baseNative.length; s++) retention[k][d][s] -= baseNative[s];
        series.add(done.curve(kind.label() + ", " + data.label(), arms, bases, m));
        rows.add(List.of(Cell.text(data.label()), Cell.text(kind.label() + " r" + plan.facts().fluxScaledRank() + ", lr " + rate),
            Cell.text(String.valueOf(done.get(arms.get(0)).trainableParameters())), Cell.of(Estimate.of(finals[k][d]), m.decimals()),
            Cell.of(done.finals(arms, StudyMetric.TEXTURE_DETAIL), StudyMetric.TEXTURE_DETAIL.decimals()), Cell.of(done.natives(arms, m), m.decimals()),
            Cell.of(m.gain(done.nativeValues(arms, m), baseNative), m.decimals())));
      }
    }
    // Minor (index 1) over LoRA (index 0) on the real set: the paper's setting (4K, real data).
    Estimate gain = m.gain(finals[1][0], finals[0][0]);
    Estimate poorGain = m.gain(finals[1][1], finals[0][1]);
    Estimate retentionGain = m.gain(retention[1][0], retention[0][0]);
    Verdict verdict = Verdict.onGain(gain);
    String reason = String.format(Locale.ROOT, "minor components minus LoRA on the real set: %s %s at %d (%s); on the poor teacher: %s; retention at %d: %s",
        gain.format(m.decimals()), m.label(), target, verdict.label(), poorGain.format(m.decimals()), nativeRes, retentionGain.format(m.decimals()));
    List<String> notes = new ArrayList<>();
    notes.add(String.format(Locale.ROOT, "Rank %d on width %d (r/d = %.4f; FLUX.1-dev's URAE rank 16 on 3,072 is %.4f): equal rank is equal trainable parameters "
            + "for both kinds. Learning rates swept on seed %d (not a compared seed), %d steps each, best final %s chosen per kind.",
        plan.facts().fluxScaledRank(), plan.facts().width(), (double) plan.facts().fluxScaledRank() / plan.facts().width(), BaseFacts.FLUX_RANK_PER_WIDTH,
        plan.sweepSeed(), plan.settings().steps(), m.label()));
    notes.add("Retention: " + m.label() + " at the base's native " + nativeRes + "×" + nativeRes + " with the adapter attached, minus the base's own (0 = nothing lost).");
    if (verdict == Verdict.NOT_SUPPORTED) {
      notes.add("Likely reason: at a rank this small and a budget this short, LoRA's free directions fit the target faster than the minor components, "
          + "whose advantage in the paper shows over 10,000 steps at 4K.");
    }
    return new Findings("guideline-2", "Guideline 2: minor components vs LoRA without a good teacher",
        "When no good teacher exists (real data or a poor teacher), tuning the minor singular components adapts better than LoRA at equal parameter count, "
            + "and keeps the base's native-resolution ability.",
        List.of(new Findings.Plot(m.label() + " at " + target + "×" + target + " by training step", "step", m.label(), series)),
        List.of(new Findings.Table("Learning-rate sweep (one seed, final " + m.label() + " at " + target + ")", List.of("adapter", "learning rate", m.label(), "choice"), sweepRows),
            new Findings.Table("Mean ± 95% CI over seeds; retention = " + m.label() + " at " + nativeRes + " with the adapter minus the base's",
                List.of("training data", "adapter", "trainable parameters", m.label() + " at " + target, "texture detail at " + target, m.label() + " at " + nativeRes,
                    "retention at " + nativeRes), rows)),
        verdict, reason, notes);
  }
}
