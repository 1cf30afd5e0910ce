package dev.urae.model.demo.study;

/** What the numbers say about one of the paper's claims. */
public enum Verdict {
  SUPPORTED("supported"),
  NOT_SUPPORTED("not supported"),
  INCONCLUSIVE("inconclusive at this sample size"),
  NOT_APPLICABLE("not applicable to this base");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /**
   * The verdict on a predicted improvement: supported when the whole 95% interval of
   * {@code gain} (oriented so that positive is what the paper predicts) is above zero, not
   * supported when it is wholly below, inconclusive otherwise.
   */
  public static Verdict onGain(Estimate gain) {
    if (gain.surelyPositive()) return SUPPORTED;
    if (gain.surelyNegative()) return NOT_SUPPORTED;
    return INCONCLUSIVE;
  }
}
