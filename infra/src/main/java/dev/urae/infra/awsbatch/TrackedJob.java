package dev.urae.infra.awsbatch;

import dev.urae.infra.exec.TaskRef;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import software.amazon.awssdk.services.batch.model.JobDetail;
import software.amazon.awssdk.services.batch.model.JobStatus;

/** One submitted job (single or array) and what the orchestrator last saw of it. */
final class TrackedJob {
  final String jobId;
  final String jobName;
  final String runId;
  final String stage;
  /** The tasks in child order: task {@code i} runs in array child {@code i}. */
  final List<TaskRef> tasks;
  final boolean array;
  final long submittedNanos = System.nanoTime();
  private JobStatus status = JobStatus.SUBMITTED;
  private Map<String, Integer> summary = Map.of();
  private boolean startReported;
  private JobDetail last;
  private int misses;
  private long runnableSinceNanos;

  TrackedJob(String jobId, String jobName, String runId, String stage, List<TaskRef> tasks, boolean array) {
    this.jobId = jobId;
    this.jobName = jobName;
    this.runId = runId;
    this.stage = stage;
    this.tasks = List.copyOf(tasks);
    this.array = array;
  }

  /** Takes in a fresh description; returns whether anything visible changed. */
  boolean update(JobDetail detail) {
    Map<String, Integer> newSummary = detail.arrayProperties() == null || detail.arrayProperties().statusSummary() == null
        ? Map.of() : detail.arrayProperties().statusSummary();
    boolean changed = detail.status() != status || !Objects.equals(newSummary, summary);
    if (detail.status() == JobStatus.RUNNABLE && !hasStarted(detail.status(), newSummary)) {
      if (runnableSinceNanos == 0) runnableSinceNanos = System.nanoTime();
    } else {
      runnableSinceNanos = 0;
    }
    status = detail.status();
    summary = newSummary;
    last = detail;
    misses = 0;
    return changed;
  }

  /** One more poll in a row in which DescribeJobs did not return this job; returns the count. */
  int missed() {
    return ++misses;
  }

  /** How long the job has waited in RUNNABLE with no child started, or zero when it is not waiting. */
  java.time.Duration runnableFor() {
    return runnableSinceNanos == 0 ? java.time.Duration.ZERO : java.time.Duration.ofNanos(System.nanoTime() - runnableSinceNanos);
  }

  JobStatus status() {
    return status;
  }

  JobDetail last() {
    return last;
  }

  boolean isDone() {
    return status == JobStatus.SUCCEEDED || status == JobStatus.FAILED;
  }

  boolean hasStarted() {
    return hasStarted(status, summary);
  }

  private static boolean hasStarted(JobStatus status, Map<String, Integer> summary) {
    return status == JobStatus.STARTING || status == JobStatus.RUNNING
        || status == JobStatus.SUCCEEDED || status == JobStatus.FAILED
        || Stream.of("STARTING", "RUNNING", "SUCCEEDED", "FAILED").mapToInt(s -> summary.getOrDefault(s, 0)).sum() > 0;
  }

  /** Marks the start as reported; true the first time only. */
  boolean reportStartOnce() {
    if (startReported) return false;
    startReported = true;
    return true;
  }

  int count(String childStatus) {
    Integer n = summary.get(childStatus);
    return n == null ? 0 : n;
  }
}
