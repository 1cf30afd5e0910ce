package dev.urae.infra.awsbatch;

import dev.urae.infra.aws.AwsRetry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.urae.infra.aws.AwsErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.batch.model.JobDetail;

/**
 * Polls AWS Batch about every live job of one executor, whichever stage attempt (of whichever run)
 * submitted it: one {@code DescribeJobs} call per 100 live jobs per poll, every {@code poll-min},
 * doubling to {@code poll-max} while nothing changes and back to {@code poll-min} when something
 * does or new jobs arrive (they are first asked about within the interval under way). Each job's
 * {@link Watcher} hears when it starts, while it waits in RUNNABLE (and when it waited too long),
 * when it ends and when AWS Batch does not know it. DescribeJobs failures that may pass are "no
 * news" for up to {@code poll-outage-budget}; a job is unknown only after missing from
 * {@code unknown-after-polls} polls in a row. Polls on one daemon thread, started with the first
 * job.
 */
final class BatchJobMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchJobMonitor.class);

  /** What a stage attempt hears about its jobs; called on the monitor's thread, so it must not block. */
  interface Watcher {
    /** The job, or for an array its first child, has started. Heard once per job. */
    void started(TrackedJob job);

    /** The job has ended: SUCCEEDED or FAILED ({@link TrackedJob#last()} says how). */
    void ended(TrackedJob job);

    /** AWS Batch does not know the job (missing from several polls in a row): it was never accepted. */
    void unknown(TrackedJob job);

    /** The job waits in RUNNABLE; {@code reason} is AWS Batch's status reason (may be null). Heard at every poll. */
    void waiting(TrackedJob job, String reason);

    /** The job has waited in RUNNABLE longer than the runnable timeout; the monitor no longer polls it. */
    void waitedTooLong(TrackedJob job, Duration waited);

    /** Polling failed after its retries; the watcher's jobs are no longer polled. */
    void failed(RuntimeException error);
  }

  private record Watched(TrackedJob job, Watcher watcher) {}

  private final BatchApi api;
  private final Duration pollMin;
  private final Duration pollMax;
  private final AwsRetry.Sleeper sleeper;
  private final Duration outageBudget;
  private final int unknownAfterPolls;
  private final Duration runnableTimeout;
  /** When the current run of failing DescribeJobs calls began (nanoTime), or 0. Monitor thread only. */
  private long outageSince;
  /** Guarded by {@code this}. */
  private final Map<String, Watched> live = new LinkedHashMap<>();
  private boolean newJobs;
  private boolean closed;
  private Thread thread;

  BatchJobMonitor(BatchApi api, AwsBatchConfig config, AwsRetry.Sleeper sleeper) {
    this.api = api;
    this.pollMin = config.pollMin();
    this.pollMax = config.pollMax();
    this.outageBudget = config.pollOutageBudget();
    this.unknownAfterPolls = config.unknownAfterPolls();
    this.runnableTimeout = config.runnableTimeout();
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
      if (outageSince != 0) LOG.info("DescribeJobs answers again after {} s", (System.nanoTime() - outageSince) / 1_000_000_000);
      outageSince = 0;
    } catch (RuntimeException e) {
      // A brown-out of the Batch API is no news about the jobs, which keep running: only a
      // failure that cannot pass (access denied, a bad request) or one outlasting the budget
      // ends the stage attempt.
      if (outageSince == 0) outageSince = System.nanoTime();
      Duration outage = Duration.ofNanos(System.nanoTime() - outageSince);
      if (AwsErrors.isRetryable(e) && outage.compareTo(outageBudget) < 0) {
        LOG.warn("DescribeJobs failed ({}); no news of {} job(s) for {} s of the {} s allowed, polling on",
            AwsErrors.describe(e), polled.size(), outage.toSeconds(), outageBudget.toSeconds());
        return false;
      }
      RuntimeException failure = new IllegalStateException("AWS Batch DescribeJobs failed" + (outage.isZero() ? "" : " for "
          + outage.toSeconds() + " s (poll-outage-budget " + outageBudget.toSeconds() + " s)") + ": " + AwsErrors.describe(e), e);
      polled.values().stream().filter(w -> stopWatching(w.job())).map(Watched::watcher).distinct()
          .forEach(watcher -> watcher.failed(failure));
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
      Duration waited = job.runnableFor();
      if (waited.compareTo(runnableTimeout) > 0 && stopWatching(job)) {
        watched.watcher().waitedTooLong(job, waited);
      } else if (!waited.isZero()) {
        watched.watcher().waiting(job, detail.statusReason());
      }
    }
    for (Watched watched : polled.values()) {
      if (seen.contains(watched.job().jobId)) continue;
      // DescribeJobs forgets jobs some days after they end, and may not list a job submitted a
      // moment ago; one missing from several polls in a row was never accepted.
      if (watched.job().missed() < unknownAfterPolls) continue;
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
