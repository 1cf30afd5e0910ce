package dev.urae.batch.run;

import java.time.Instant;

/**
 * Tasks of a stage waiting for compute: on AWS Batch a job in RUNNABLE, with Batch's status
 * reason (for instance {@code MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - ...}). Recorded by the
 * orchestrator while the wait lasts, so that {@code urae status} in another process can show it.
 *
 * @param reason AWS Batch's status reason, or empty when it gave none
 * @param since when the orchestrator first heard of this wait
 */
public record ComputeWait(int tasks, String reason, Instant since) {
  public ComputeWait {
    if (tasks < 1) throw new IllegalArgumentException("tasks must be >= 1, was " + tasks);
    reason = reason == null ? "" : reason.strip();
    if (since == null) throw new IllegalArgumentException("since == null");
  }

  /** {@code 3 task(s) waiting for compute since 2026-11-26T15:20:03Z: <reason>}. */
  public String describe() {
    return tasks + " task(s) waiting for compute since " + since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        + (reason.isEmpty() ? "" : ": " + reason);
  }
}
