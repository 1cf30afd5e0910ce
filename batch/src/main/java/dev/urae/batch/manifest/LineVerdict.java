package dev.urae.batch.manifest;

/** What validation decided about one manifest line. */
public sealed interface LineVerdict {

  /** 1-based line number. */
  long line();

  record Accepted(ManifestItem item) implements LineVerdict {
    @Override
    public long line() {
      return item.line();
    }
  }

  /** A rejected line and the precise reason, e.g. {@code unknown field 'promt'}. */
  record Rejected(long line, String reason) implements LineVerdict {}

  /** An empty or whitespace-only line: counted, then skipped. */
  record Blank(long line) implements LineVerdict {}
}
