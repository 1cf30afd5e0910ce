package dev.urae.batch.report;

import java.util.Objects;

/**
 * One stage of the run: how long it took and how its tasks ended.
 *
 * @param name           the stage, e.g. {@code teacher}
 * @param durationMillis wall-clock time of the stage
 * @param done           tasks that completed in this run
 * @param failed         tasks that failed
 * @param pending        tasks not run (yet)
 * @param reused         tasks whose valid outputs were reused instead of recomputed
 */
public record StageSummary(String name, long durationMillis, int done, int failed, int pending, int reused) {
  public StageSummary {
    Objects.requireNonNull(name, "name == null");
    if (durationMillis < 0) throw new IllegalArgumentException("durationMillis < 0 for stage " + name);
    if (done < 0 || failed < 0 || pending < 0 || reused < 0) {
      throw new IllegalArgumentException("task counts must be >= 0 for stage " + name);
    }
  }

  public int total() {
    return done + failed + pending + reused;
  }
}
