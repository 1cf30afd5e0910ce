package dev.urae.model.demo.study;

import dev.urae.model.demo.study.Findings.Cell;
import dev.urae.model.demo.study.Findings.Plot;
import dev.urae.model.demo.study.Findings.Series;
import dev.urae.model.demo.study.Findings.Table;
import dev.urae.model.demo.study.TheoremOneToy.Mixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The study's section on Theorem 1: {@link TheoremOneToy} over a grid of synthetic shares p,
 * teacher biases δ and label-noise levels σ, each curve averaged over seeds. It is exact and
 * takes seconds, so it always runs in full.
 */
public final class TheoremOneSection {
  static final double[] SHARES = {0, 0.5, 1};
  static final double[] DELTAS = {0.05, 0.3, 0.8};
  static final double[] NOISES = {0.5, 1.0};
  /** The noise level the plots show (the table has every level). */
  static final double PLOTTED_NOISE = 1.0;
  /** Error level whose first crossing counts as "converged" in the table. */
  static final double THRESHOLD = 0.3;
  private static final int PLOT_EVERY = 10;

  private final TheoremOneToy toy;
  private final int seeds;

  public TheoremOneSection(TheoremOneToy toy, int seeds) {
    if (seeds < 1) throw new IllegalArgumentException("seeds must be positive, was " + seeds);
    this.toy = toy;
    this.seeds = seeds;
  }

  public Findings findings() {
    List<Plot> plots = new ArrayList<>();
    List<List<Cell>> rows = new ArrayList<>();
    Estimate smallDeltaGain = null;
    Estimate largeDeltaGain = null;
    for (double sigma : NOISES) {
      for (double delta : DELTAS) {
        List<Series> series = new ArrayList<>();
        double[][] floors = new double[SHARES.length][];
        for (int k = 0; k < SHARES.length; k++) {
          double p = SHARES[k];
          double[][] curves = new double[seeds][];
          double[] floor = new double[seeds];
          double[] reach = new double[seeds];
          int reached = 0;
          for (int s = 0; s < seeds; s++) {
            curves[s] = toy.errorCurve(new Mixture(p, delta, sigma), s);
            floor[s] = TheoremOneToy.floor(curves[s]);
            int t = TheoremOneToy.stepsToReach(curves[s], THRESHOLD);
            if (t >= 0) reach[reached++] = t;
          }
          floors[k] = floor;
          series.add(meanCurve("p = " + fmt(p), curves));
          rows.add(List.of(Cell.text(fmt(sigma)), Cell.text(fmt(delta)), Cell.text(fmt(p)), Cell.of(Estimate.of(floor), 3),
              reached == seeds ? Cell.of(Estimate.of(reach), 0) : Cell.text((seeds - reached) + " of " + seeds + " seeds never get there")));
        }
        if (sigma == PLOTTED_NOISE) {
          plots.add(new Plot(String.format(Locale.ROOT, "δ = %s, label noise σ = %s", fmt(delta), fmt(sigma)), "step t", "‖w_t − w*‖", series));
          // Gain of all-synthetic over all-real: positive when synthetic ends lower.
          Estimate gain = Estimate.paired(floors[0], floors[SHARES.length - 1]);
          if (delta == DELTAS[0]) smallDeltaGain = gain;
          if (delta == DELTAS[DELTAS.length - 1]) largeDeltaGain = gain;
        }
      }
    }
    Verdict small = Verdict.onGain(smallDeltaGain);
    Verdict large = Verdict.onGain(new Estimate(-largeDeltaGain.mean(), largeDeltaGain.halfWidth(), largeDeltaGain.n()));
    Verdict verdict = small == Verdict.SUPPORTED && large == Verdict.SUPPORTED ? Verdict.SUPPORTED
        : small == Verdict.NOT_SUPPORTED || large == Verdict.NOT_SUPPORTED ? Verdict.NOT_SUPPORTED : Verdict.INCONCLUSIVE;
    String reason = String.format(Locale.ROOT,
        "at σ = %s, all-synthetic ends %s lower than all-real with δ = %s (%s), and %s higher with δ = %s (%s)",
        fmt(PLOTTED_NOISE), smallDeltaGain.format(3), fmt(DELTAS[0]), small.label(), new Estimate(-largeDeltaGain.mean(), largeDeltaGain.halfWidth(), largeDeltaGain.n()).format(3),
        fmt(DELTAS[DELTAS.length - 1]), large.label());
    TheoremOneToy.Setup s = toy.setup();
    List<String> notes = List.of(String.format(Locale.ROOT,
        "Linear regression in %d dimensions, %d training samples, mini-batch %d, learning rate %s, %d steps from w₀ = 0 (‖w₀ − w*‖ = 1); %d seeds, "
            + "the same inputs, label noise and batch order for every curve of a seed. Floor: mean error over the last tenth of the steps.",
        s.dimension(), s.samples(), s.batch(), fmt(s.learningRate()), s.steps(), seeds));
    Table table = new Table("Final error (floor) and steps until ‖w_t − w*‖ ≤ " + fmt(THRESHOLD) + ", mean ± 95% CI over seeds",
        List.of("label noise σ", "teacher bias δ", "synthetic share p", "floor ‖w_T − w*‖", "steps to " + fmt(THRESHOLD)), rows);
    return new Findings("theorem-1", "Theorem 1: synthetic data from a teacher vs noisy real data (linear toy)",
        "Training on a teacher's synthetic labels converges faster than on noisy real labels as long as the teacher's error δ is small; "
            + "the error floor grows with p·δ, so a poor teacher's bias takes over.",
        plots, List.of(table), verdict, "the distance ‖w_T − w*‖ at the end of training (its floor), the quantity Theorem 1 bounds", reason, notes);
  }

  private Series meanCurve(String name, double[][] curves) {
    List<Double> x = new ArrayList<>();
    List<Estimate> y = new ArrayList<>();
    for (int t = 0; t < curves[0].length; t += PLOT_EVERY) {
      double[] at = new double[curves.length];
      for (int s = 0; s < curves.length; s++) at[s] = curves[s][t];
      x.add((double) t);
      y.add(Estimate.of(at));
    }
    return new Series(name, x, y);
  }

  static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e6 ? String.valueOf((long) v) : String.valueOf(v);
  }
}
