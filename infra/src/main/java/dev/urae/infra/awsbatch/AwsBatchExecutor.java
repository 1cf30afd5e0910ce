package dev.urae.infra.awsbatch;

import dev.urae.infra.aws.AwsErrors;
import dev.urae.infra.aws.AwsRetry;
import dev.urae.infra.exec.CompletionCheck;
import dev.urae.infra.exec.ComputeAttempt;
import dev.urae.infra.exec.JobCompute;
import dev.urae.infra.exec.TaskExecutor;
import dev.urae.infra.exec.TaskListener;
import dev.urae.infra.exec.TaskOutcome;
import dev.urae.infra.exec.TaskRef;
import dev.urae.infra.store.ObjectStore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.batch.model.JobDetail;
import software.amazon.awssdk.services.batch.model.JobStatus;
import software.amazon.awssdk.services.batch.model.JobSummary;

/**
 * Runs one attempt of a stage's tasks on AWS Batch: the lifecycle (submit, wait, cancel, close)
 * over three roles. {@link BatchJobSubmitter} turns a stage attempt into jobs: one array job of
 * up to 10,000 children (more tasks, more array jobs), or a single job for a one-task stage
 * (training); AWS Batch itself retries only lost hosts, any other failure comes back here as a
 * failed outcome for the stage's own retry policy. {@link BatchJobMonitor} polls every live job
 * of this executor, 100 per {@code DescribeJobs} call, for all stage attempts at once. Array
 * children are summarised from the parent's {@code arrayProperties}; only when some failed does
 * {@link ArrayChildFailures} list them, to name the failed tasks and their reasons.
 *
 * <p>Events reach the {@link TaskListener} per job: every task of a job "starts" when the job
 * (for an array, its first child) starts, and "ends" when the whole job has ended; then
 * {@link JobAttempts} reports what the job's attempts used ({@link TaskListener#measured}).
 */
public final class AwsBatchExecutor implements TaskExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(AwsBatchExecutor.class);
  /** Start of the reason given to TerminateJob; a job ended with it was cancelled, not failed. */
  static final String CANCEL_REASON = "cancelled by urae";

  private final BatchClient client;
  private final BatchApi api;
  private final AwsBatchConfig config;
  private final CompletionCheck completion;
  private final BatchJobSubmitter submitter;
  private final BatchJobMonitor monitor;
  private final ArrayChildFailures childFailures;
  private final InstancePrices prices;
  private final JobAttempts attempts;
  private final Map<String, Set<String>> liveJobsByRun = new ConcurrentHashMap<>();
  private final Set<String> terminated = ConcurrentHashMap.newKeySet();
  /** Runs seen cancelled (here or by {@code urae cancel} elsewhere): their tasks are not submitted again. */
  private final Set<String> cancelledRuns = ConcurrentHashMap.newKeySet();

  private AwsBatchExecutor(Builder b) {
    this.client = b.client;
    this.config = b.config;
    this.completion = b.completion;
    this.api = new BatchApi(b.client, b.retry, b.config.submitRate(), b.sleeper);
    this.submitter = new BatchJobSubmitter(api, b.config, b.store, b.taskLists);
    this.monitor = new BatchJobMonitor(api, b.config, b.sleeper);
    this.childFailures = new ArrayChildFailures(api, b.config.logGroup());
    this.prices = b.prices;
    this.attempts = new JobAttempts(api, b.prices);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "aws-batch";
  }

  @Override
  public Map<String, TaskOutcome> runAll(List<TaskRef> tasks, TaskListener listener) throws InterruptedException {
    Map<String, TaskOutcome> outcomes = new HashMap<>();
    List<TrackedJob> submitted = new ArrayList<>();
    StageAttempt attempt = new StageAttempt();
    try {
      for (List<TaskRef> group : groupByRunAndStage(tasks).values()) {
        if (cancelledRuns.contains(group.get(0).runId())) {
          for (TaskRef task : group) {
            TaskOutcome outcome = TaskOutcome.failed(task, "run " + task.runId() + " was cancelled; not submitted again", Duration.ZERO);
            outcomes.put(task.taskId(), outcome);
            listener.ended(outcome);
          }
          continue;
        }
        for (int from = 0; from < group.size(); from += config.arraySizeMax()) {
          TrackedJob job = submitter.submit(group.subList(from, Math.min(group.size(), from + config.arraySizeMax())));
          liveJobsByRun.computeIfAbsent(job.runId, k -> ConcurrentHashMap.newKeySet()).add(job.jobId);
          submitted.add(job);
        }
      }
      if (!submitted.isEmpty()) monitor.watch(submitted, attempt);
      List<TrackedJob> toMeasure = new ArrayList<>();
      for (int open = submitted.size(); open > 0; ) {
        // the jobs one poll finds ended arrive together: describe their children together once the burst is over
        JobEvent event = toMeasure.isEmpty() ? attempt.events.take() : attempt.events.poll(1, TimeUnit.SECONDS);
        if (event == null) {
          measure(toMeasure, listener);
          continue;
        }
        switch (event.kind()) {
          case STARTED -> event.job().tasks.forEach(listener::started);
          case ENDED, UNKNOWN -> {
            forget(event.job());
            List<TaskOutcome> ended = event.kind() == JobEvent.Kind.ENDED ? finish(event.job()) : unknown(event.job());
            for (TaskOutcome outcome : ended) {
              outcomes.put(outcome.task().taskId(), outcome);
              listener.ended(outcome);
            }
            if (event.kind() == JobEvent.Kind.ENDED) toMeasure.add(event.job());
            if (toMeasure.stream().mapToInt(j -> j.tasks.size()).sum() >= BatchApi.DESCRIBE_BATCH) measure(toMeasure, listener);
            open--;
          }
          case WAITING -> listener.waiting(event.job().tasks, event.reason());
          case WAITED_TOO_LONG -> {
            forget(event.job());
            String why = runnableTooLong(event.job(), event.waited());
            terminateOnce(event.job().jobId, event.job().runId, why);
            for (TaskRef task : event.job().tasks) {
              TaskOutcome outcome = TaskOutcome.failed(task, why, event.waited());
              outcomes.put(task.taskId(), outcome);
              listener.ended(outcome);
            }
            open--;
          }
          case POLLING_FAILED -> throw event.error();
        }
      }
      measure(toMeasure, listener);
    } catch (InterruptedException e) {
      monitor.unwatch(submitted);
      tasks.stream().map(TaskRef::runId).distinct().forEach(this::cancel);
      throw e;
    }
    Map<String, TaskOutcome> ordered = new LinkedHashMap<>();
    for (TaskRef task : tasks) ordered.put(task.taskId(), outcomes.get(task.taskId()));
    return ordered;
  }

  /** Terminates, once each, the jobs this executor submitted for {@code runId} that are still live. */
  @Override
  public void cancel(String runId) {
    cancelledRuns.add(runId);
    Set<String> jobIds = liveJobsByRun.getOrDefault(runId, Set.of());
    for (String jobId : List.copyOf(jobIds)) terminateOnce(jobId, runId, CANCEL_REASON + " (run " + runId + ")");
  }

  /**
   * Terminates every live job of {@code runId} in the configured queues, including jobs
   * submitted by another process ({@code urae cancel RUN_ID}); found by their name prefix.
   *
   * @return the ids of the jobs terminated now
   */
  public List<String> terminateRun(String runId) throws InterruptedException {
    List<String> stopped = new ArrayList<>();
    for (String queue : config.jobQueues()) {
      for (JobSummary job : api.listByNamePrefix(queue, JobNames.runPrefix(runId))) {
        boolean child = job.jobId().contains(":"); // terminating the parent ends its children
        if (!child && !isFinal(job.status()) && terminateOnce(job.jobId(), runId, CANCEL_REASON + " (run " + runId + ")")) {
          stopped.add(job.jobId());
        }
      }
    }
    return stopped;
  }

  /**
   * Terminates the jobs still live (the process is going away: Ctrl-C, SIGTERM, a failure
   * elsewhere), then closes the client. After a normal end nothing is live and nothing is sent.
   */
  @Override
  public void close() {
    for (String runId : List.copyOf(liveJobsByRun.keySet())) cancel(runId);
    monitor.close();
    client.close();
  }

  /**
   * Tells the listener what the ended jobs' attempts used, and empties {@code jobs}. Only for the
   * report: when AWS does not answer, the stage goes on without the figures.
   */
  private void measure(List<TrackedJob> jobs, TaskListener listener) throws InterruptedException {
    if (jobs.isEmpty()) return;
    try {
      attempts.of(jobs).forEach((job, recorded) -> {
        if (!recorded.isEmpty()) listener.measured(new JobCompute(job.jobId, prices.label(), recorded));
      });
    } catch (RuntimeException e) {
      LOG.warn("could not read the attempts of {} ended job(s) ({}…) for the compute report: {}", jobs.size(), jobs.get(0).jobName,
          AwsErrors.describe(e));
    } finally {
      jobs.clear();
    }
  }

  /** Outcomes for every task of a job that has ended. */
  private List<TaskOutcome> finish(TrackedJob job) throws InterruptedException {
    JobDetail detail = job.last();
    Duration elapsed = elapsed(job, detail);
    if (detail.statusReason() != null && detail.statusReason().startsWith(CANCEL_REASON)) cancelledRuns.add(job.runId);
    Map<Integer, String> failedChildren = new HashMap<>();
    boolean allFailed = false;
    String jobReason = FailureReason.of(detail, config.logGroup());
    if (detail.status() == JobStatus.FAILED) {
      if (job.array && job.count("FAILED") > 0) {
        failedChildren = childFailures.of(job.jobId);
        allFailed = failedChildren.isEmpty(); // the parent failed but AWS did not list why: trust the parent
      } else {
        allFailed = true;
      }
    }
    List<TaskOutcome> outcomes = new ArrayList<>();
    List<TaskRef> claimed = new ArrayList<>();
    for (int i = 0; i < job.tasks.size(); i++) {
      TaskRef task = job.tasks.get(i);
      String reason = allFailed ? jobReason : failedChildren.get(i);
      if (reason != null) outcomes.add(TaskOutcome.failed(task, reason, elapsed));
      else claimed.add(task);
    }
    Map<String, String> unfinished;
    try {
      unfinished = claimed.isEmpty() ? Map.of() : completion.unfinished(claimed);
    } catch (IOException e) {
      unfinished = new HashMap<>();
      for (TaskRef task : claimed) unfinished.put(task.taskId(), "could not check its completion marker: " + e.getMessage());
    }
    for (TaskRef task : claimed) {
      String missing = unfinished.get(task.taskId());
      if (missing == null) {
        outcomes.add(TaskOutcome.succeeded(task, elapsed));
      } else {
        outcomes.add(TaskOutcome.failed(task, "AWS Batch reported job " + job.jobName + childSuffix(job, task)
            + " SUCCEEDED, but the task left no valid completion marker: " + missing, elapsed));
      }
    }
    return outcomes;
  }

  /** Outcomes for the tasks of a job AWS Batch does not know. */
  private static List<TaskOutcome> unknown(TrackedJob job) {
    List<TaskOutcome> outcomes = new ArrayList<>();
    for (TaskRef task : job.tasks) {
      outcomes.add(TaskOutcome.failed(task, "AWS Batch does not know job " + job.jobName + " (" + job.jobId + ")", elapsed(job, null)));
    }
    return outcomes;
  }

  private static String childSuffix(TrackedJob job, TaskRef task) {
    return job.array ? "[" + job.tasks.indexOf(task) + "]" : "";
  }

  /** Terminates a job unless already done; a failed attempt is forgotten, so the next cancel or close tries again. */
  private boolean terminateOnce(String jobId, String runId, String reason) {
    if (!terminated.add(jobId)) return false;
    try {
      api.terminate(jobId, reason);
      LOG.info("terminated job {} of run {}: {}", jobId, runId, reason);
      return true;
    } catch (InterruptedException e) {
      terminated.remove(jobId);
      Thread.currentThread().interrupt();
      return false;
    } catch (RuntimeException e) {
      terminated.remove(jobId);
      LOG.warn("could not terminate job {} of run {} (tried again at the next cancel or close): {}", jobId, runId, AwsErrors.describe(e));
      return false;
    }
  }

  /** Why a job that never left RUNNABLE was given up, with what usually causes it. */
  private static String runnableTooLong(TrackedJob job, Duration waited) {
    String reason = job.last() == null ? null : job.last().statusReason();
    return "job " + job.jobName + " (" + job.jobId + ") waited " + waited.toMinutes() + " min in RUNNABLE"
        + (reason == null || reason.isBlank() ? "" : " (AWS Batch: " + reason + ")")
        + " and was terminated; " + FailureReason.RUNNABLE_CAUSES;
  }

  private void forget(TrackedJob job) {
    Set<String> ids = liveJobsByRun.get(job.runId);
    if (ids != null) ids.remove(job.jobId);
  }

  private static Duration elapsed(TrackedJob job, JobDetail detail) {
    if (detail != null && detail.startedAt() != null && detail.stoppedAt() != null
        && detail.startedAt() > 0 && detail.stoppedAt() >= detail.startedAt()) {
      return Duration.ofMillis(detail.stoppedAt() - detail.startedAt());
    }
    return Duration.ofNanos(System.nanoTime() - job.submittedNanos);
  }

  private static boolean isFinal(JobStatus status) {
    return status == JobStatus.SUCCEEDED || status == JobStatus.FAILED;
  }

  /** What the monitor told a stage attempt about one of its jobs. */
  private record JobEvent(Kind kind, TrackedJob job, RuntimeException error, String reason, Duration waited) {
    enum Kind { STARTED, ENDED, UNKNOWN, WAITING, WAITED_TOO_LONG, POLLING_FAILED }

    JobEvent(Kind kind, TrackedJob job) {
      this(kind, job, null, null, null);
    }
  }

  /** Hands the monitor's words to the thread running the stage attempt. */
  private static final class StageAttempt implements BatchJobMonitor.Watcher {
    final BlockingQueue<JobEvent> events = new LinkedBlockingQueue<>();

    @Override
    public void started(TrackedJob job) {
      events.add(new JobEvent(JobEvent.Kind.STARTED, job));
    }

    @Override
    public void ended(TrackedJob job) {
      events.add(new JobEvent(JobEvent.Kind.ENDED, job));
    }

    @Override
    public void unknown(TrackedJob job) {
      events.add(new JobEvent(JobEvent.Kind.UNKNOWN, job));
    }

    @Override
    public void waiting(TrackedJob job, String reason) {
      events.add(new JobEvent(JobEvent.Kind.WAITING, job, null, reason, null));
    }

    @Override
    public void waitedTooLong(TrackedJob job, Duration waited) {
      events.add(new JobEvent(JobEvent.Kind.WAITED_TOO_LONG, job, null, null, waited));
    }

    @Override
    public void failed(RuntimeException error) {
      events.add(new JobEvent(JobEvent.Kind.POLLING_FAILED, null, error, null, null));
    }
  }

  private static Map<String, List<TaskRef>> groupByRunAndStage(List<TaskRef> tasks) {
    Map<String, List<TaskRef>> groups = new LinkedHashMap<>();
    for (TaskRef task : tasks) groups.computeIfAbsent(task.runId() + "\u0000" + task.stage(), k -> new ArrayList<>()).add(task);
    return groups;
  }

  public static final class Builder {
    private BatchClient client;
    private AwsBatchConfig config;
    private ObjectStore store;
    private TaskListKeys taskLists;
    private CompletionCheck completion = CompletionCheck.NONE;
    private AwsRetry retry = AwsRetry.standard();
    private AwsRetry.Sleeper sleeper = d -> Thread.sleep(d.toMillis());
    private InstancePrices prices = InstancePrices.listPrices();

    private Builder() {}

    /** The Batch client; the executor closes it. */
    public Builder setClient(BatchClient client) {
      this.client = client;
      return this;
    }

    public Builder setConfig(AwsBatchConfig config) {
      this.config = config;
      return this;
    }

    /** The run's store: task lists for array jobs are written here, and workers are told its root. */
    public Builder setStore(ObjectStore store) {
      this.store = store;
      return this;
    }

    /** Where array jobs' task lists go in the store (the caller's layout). */
    public Builder setTaskListKeys(TaskListKeys taskLists) {
      this.taskLists = taskLists;
      return this;
    }

    /** How SUCCEEDED tasks are verified (default: trusted, the stage checks markers). */
    public Builder optCompletionCheck(CompletionCheck completion) {
      this.completion = Objects.requireNonNull(completion, "completion == null");
      return this;
    }

    public Builder optRetry(AwsRetry retry) {
      this.retry = Objects.requireNonNull(retry, "retry == null");
      return this;
    }

    /** How the executor waits between polls and submissions (tests use a recording sleeper). */
    /** The price table behind the attempts' estimated cost (default: {@link InstancePrices#listPrices}). */
    public Builder optPrices(InstancePrices prices) {
      this.prices = Objects.requireNonNull(prices, "prices == null");
      return this;
    }

    public Builder optSleeper(AwsRetry.Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper == null");
      return this;
    }

    public AwsBatchExecutor build() {
      if (client == null) throw new IllegalArgumentException("client == null");
      if (config == null) throw new IllegalArgumentException("config == null");
      if (store == null) throw new IllegalArgumentException("store == null");
      if (taskLists == null) throw new IllegalArgumentException("taskLists == null");
      return new AwsBatchExecutor(this);
    }
  }
}
