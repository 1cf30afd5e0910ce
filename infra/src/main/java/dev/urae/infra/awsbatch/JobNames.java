package dev.urae.infra.awsbatch;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Job names: {@code urae-<run>-<stage>-<n>}, in AWS Batch's alphabet ({@code [A-Za-z0-9_-]},
 * at most 128). The run part is a stable prefix, so another process can find a run's jobs
 * with a {@code JOB_NAME} filter ({@code urae cancel}).
 */
final class JobNames {
  private static final int MAX = 128;
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private JobNames() {}

  /** The prefix every job of {@code runId} starts with. */
  static String runPrefix(String runId) {
    return "urae-" + clean(runId, 64) + "-";
  }

  /** A new, unique name for a job of this run and stage. */
  static String next(String runId, String stage) {
    String unique = Long.toString(System.currentTimeMillis(), 36) + SEQUENCE.incrementAndGet();
    String name = runPrefix(runId) + clean(stage, 32) + "-" + unique;
    return name.length() <= MAX ? name : name.substring(0, MAX);
  }

  private static String clean(String text, int max) {
    String cleaned = text.replaceAll("[^A-Za-z0-9_-]", "_").toLowerCase(Locale.ROOT);
    return cleaned.length() <= max ? cleaned : cleaned.substring(0, max);
  }
}
