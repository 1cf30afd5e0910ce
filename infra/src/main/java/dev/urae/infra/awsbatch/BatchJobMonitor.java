package dev.urae.infra.awsbatch;

import dev.urae.infra.aws.AwsRetry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.batch.model.JobDetail;

/**
 * Polls AWS Batch about every live job of one executor, whichever stage attempt (of whichever run)
 * submitted it: one {@code DescribeJobs} call per 100 live jobs per poll, every {@code poll-min},
 * doubling to {@code poll-max} while nothing changes and back to {@code poll-min} when something
 * does or new jobs arrive (they are first asked about within the interval under way). Each job's
 * {@link Watcher} hears when it starts, when it ends and when AWS Batch does not know it. Polls on
 * one daemon thread, started with the first job.
 */
final class BatchJobMonitor implements AutoCloseable {

  /** What a stage attempt hears about its jobs; called on the monitor's thread, so it must not block. */
  interface Watcher {
    /** The job, or for an array its first child, has started. Heard once per job. */
    void started(TrackedJob job);

    /** The job has ended: SUCCEEDED or FAILED ({@link TrackedJob#last()} says how). */
    void ended(TrackedJob job);

    /** AWS Batch does not know the job: it was never accepted. */
    void unknown(TrackedJob job);

    /** Polling failed after its retries; the watcher's jobs are no longer polled. */
    void failed(RuntimeException error);
  }

  private record Watched(TrackedJob job, Watcher watcher) {}

  private final BatchApi api;
  private final Duration pollMin;
  private final Duration pollMax;
  private final AwsRetry.Sleeper sleeper;
  /** Guarded by {@code this}. */
  private final Map<String, Watched> live = new LinkedHashMap<>();
  private boolean newJobs;
  private boolean closed;
  private Thread thread;

  BatchJobMonitor(BatchApi api, Duration pollMin, Duration pollMax, AwsRetry.Sleeper sleeper) {
    this.api = api;
    this.pollMin = pollMin;
    this.pollMax = pollMax;
    this.sleeper = sleeper;
  }

  /** Polls {@code jobs} until each has ended, telling {@code watcher}. */
  synchronized void watch(List<TrackedJob> jobs, Watcher watcher) {
    if (closed) throw new IllegalStateException("the AWS Batch executor is closed");
    for (TrackedJob job : jobs) live.put(job.jobId, new Watched(job, watcher));
    newJobs = true;
    if (thread == null) {
      thread = new Thread(this::pollUntilClosed, "urae-batch-monitor");
      thread.setDaemon(true);
      thread.start();
    }
    notifyAll();
  }

  /** Stops polling {@code jobs} (their stage attempt was abandoned); their watcher hears nothing more. */
  synchronized void unwatch(Collection<TrackedJob> jobs) {
    for (TrackedJob job : jobs) live.remove(job.jobId);
  }

  @Override
  public void close() {
    Thread polling;
    synchronized (this) {
      closed = true;
      polling = thread;
      notifyAll();
    }
    if (polling != null) polling.interrupt();
  }

  private void pollUntilClosed() {
    Duration interval = pollMin;
    try {
      while (true) {
        synchronized (this) {
          while (live.isEmpty() && !closed) wait();
          if (closed) return;
          if (newJobs) interval = pollMin;
          newJobs = false;
        }
        sleeper.sleep(interval);
        interval = pollOnce() ? pollMin : min(interval.multipliedBy(2), pollMax);
      }
    } catch (InterruptedException closing) {
      // close() interrupts the thread; nothing is left to tell
    }
  }

  /** One round of DescribeJobs over every live job; returns whether anything visible changed. */
  private boolean pollOnce() throws InterruptedException {
    Map<String, Watched> polled;
    synchronized (this) {
      polled = new LinkedHashMap<>(live);
    }
    List<JobDetail> details;
    try {
      details = api.describe(List.copyOf(polled.keySet()));
    } catch (RuntimeException e) {
      polled.values().stream().filter(w -> stopWatching(w.job())).map(Watched::watcher).distinct()
          .forEach(watcher -> watcher.failed(e));
      return true;
    }
    boolean changed = false;
    Set<String> seen = new HashSet<>();
    for (JobDetail detail : details) {
      Watched watched = polled.get(detail.jobId());
      if (watched == null) continue;
      TrackedJob job = watched.job();
      seen.add(job.jobId);
      changed |= job.update(detail);
      if (job.hasStarted() && job.reportStartOnce()) watched.watcher().started(job);
      if (job.isDone() && stopWatching(job)) watched.watcher().ended(job);
    }
    for (Watched watched : polled.values()) {
      if (seen.contains(watched.job().jobId)) continue;
      // DescribeJobs forgets jobs some days after they end; a job we submitted minutes ago that
      // it does not know was never accepted.
      if (stopWatching(watched.job())) watched.watcher().unknown(watched.job());
      changed = true;
    }
    return changed;
  }

  /** True when the job was still watched (so exactly one final word reaches its watcher). */
  private synchronized boolean stopWatching(TrackedJob job) {
    return live.remove(job.jobId) != null;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
