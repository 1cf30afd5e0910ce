package dev.urae.batch.run;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

/** A run with its stages, as {@code urae status} shows it. */
public record RunStatus(RunSummary run, int executions, List<Stage> stages) {

  /**
   * One stage: its step status and task counts (pending = total - done - failed).
   *
   * @param failure the failing tasks' own messages, or empty
   * @param waiting while the stage runs: its tasks' wait for compute (a job in RUNNABLE), or null
   */
  public record Stage(
      String name, String status, long total, long done, long failed, LocalDateTime started, Duration elapsed,
      String failure, ComputeWait waiting) {
    public long pending() {
      return Math.max(0, total - done - failed);
    }
  }
}
