package dev.urae.batch.manifest;

/**
 * The counts of one pass over a manifest. Nothing is lost: {@code accepted + rejected + blank}
 * always equals {@code lines}.
 */
public record ValidationSummary(long lines, long accepted, long rejected, long blank) {
  public ValidationSummary {
    if (accepted + rejected + blank != lines) {
      throw new IllegalStateException("lost lines: " + accepted + " accepted + " + rejected
          + " rejected + " + blank + " blank != " + lines + " read");
    }
  }

  /** The summary line the CLI prints, e.g. {@code 98 accepted, 2 rejected, 1 blank}. */
  @Override
  public String toString() {
    return accepted + " accepted, " + rejected + " rejected, " + blank + " blank";
  }
}
