package dev.urae.model.demo.study;

import dev.urae.model.adapter.AdapterKind;
import java.util.Locale;

/**
 * One arm of the study: one seed of one condition. An arm without an adapter kind evaluates the
 * base model only (at the native and the target resolution); an adapted arm trains an adapter
 * through the pipeline's trainer on {@code scenes} images of which a share {@code syntheticShare}
 * comes from the teacher at error level {@code teacherError} and the rest from photographs,
 * then is scored every {@code evalEvery} steps. The id names every setting, so results of other
 * settings are never mistaken for this arm's.
 */
public record ArmSpec(long seed, AdapterKind kind, int rank, double learningRate, double trainGuidance, double syntheticShare, double teacherError,
    int scenes, int steps, int evalEvery, int evalImages, double evalGuidance) {
  public ArmSpec {
    if (seed < 0) throw new IllegalArgumentException("seed must not be negative, was " + seed);
    if (evalImages < 1) throw new IllegalArgumentException("evalImages must be positive, was " + evalImages);
    if (kind != null) {
      if (rank < 1 || steps < 1 || evalEvery < 1 || scenes < 1) {
        throw new IllegalArgumentException("rank, steps, evalEvery and scenes must be positive: " + rank + ", " + steps + ", " + evalEvery + ", " + scenes);
      }
      if (syntheticShare < 0 || syntheticShare > 1) throw new IllegalArgumentException("syntheticShare must be in [0, 1], was " + syntheticShare);
    }
  }

  /** The base model alone, scored with the noise seeds of {@code seed}. */
  public static ArmSpec base(long seed, int evalImages, double evalGuidance) {
    return new ArmSpec(seed, null, 0, 0, 0, 0, 0, 0, 0, 1, evalImages, evalGuidance);
  }

  public boolean adapted() {
    return kind != null;
  }

  /** A file-name-safe name of every setting. */
  public String id() {
    String eval = String.format(Locale.ROOT, "e%d-g%s-s%d", evalImages, num(evalGuidance), seed);
    if (!adapted()) return "base-" + eval;
    return String.format(Locale.ROOT, "%s-r%d-lr%s-tg%s-p%s-d%s-n%d-t%d-every%d-%s", kind.label(), rank, num(learningRate), num(trainGuidance),
        num(syntheticShare), num(teacherError), scenes, steps, evalEvery, eval);
  }

  /** The same arm scored once, after its last step (when only its final score is used: a learning-rate sweep). */
  public ArmSpec scoredAtEndOnly() {
    return new ArmSpec(seed, kind, rank, learningRate, trainGuidance, syntheticShare, teacherError, scenes, steps, steps, evalImages, evalGuidance);
  }

  /** The same arm with another seed. */
  public ArmSpec withSeed(long seed) {
    return new ArmSpec(seed, kind, rank, learningRate, trainGuidance, syntheticShare, teacherError, scenes, steps, evalEvery, evalImages, evalGuidance);
  }

  private static String num(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
