package dev.urae.infra.awsbatch;

import dev.urae.infra.aws.AwsErrors;
import dev.urae.infra.aws.AwsRetry;
import dev.urae.infra.exec.TaskExecutor;
import dev.urae.infra.exec.TaskListener;
import dev.urae.infra.exec.TaskOutcome;
import dev.urae.infra.exec.TaskRef;
import dev.urae.infra.store.ObjectStore;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.batch.model.ContainerOverrides;
import software.amazon.awssdk.services.batch.model.EvaluateOnExit;
import software.amazon.awssdk.services.batch.model.JobDetail;
import software.amazon.awssdk.services.batch.model.JobStatus;
import software.amazon.awssdk.services.batch.model.JobSummary;
import software.amazon.awssdk.services.batch.model.KeyValuePair;
import software.amazon.awssdk.services.batch.model.RetryAction;
import software.amazon.awssdk.services.batch.model.RetryStrategy;
import software.amazon.awssdk.services.batch.model.SubmitJobRequest;

/**
 * Runs one attempt of a stage's tasks on AWS Batch.
 *
 * <p>Per stage attempt: one {@code SubmitJob} as an array job of up to 10,000 children (more
 * tasks, more array jobs), or a single job for a one-task stage (training). AWS Batch itself
 * retries only lost hosts ({@code Host EC2*} → RETRY); any other failure EXITs and comes back
 * here as a failed outcome for the stage's own retry policy. Polling asks {@code DescribeJobs}
 * about at most 100 live jobs per call, every {@code poll-min} doubling to {@code poll-max}
 * while nothing changes. Array children are summarised from the parent's
 * {@code arrayProperties}; only when some failed are they listed, to name the failed tasks and
 * their reasons.
 *
 * <p>Events reach the {@link TaskListener} per job: every task of a job "starts" when the job
 * (for an array, its first child) starts, and "ends" when the whole job has ended.
 */
public final class AwsBatchExecutor implements TaskExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(AwsBatchExecutor.class);
  /** Status reasons AWS Batch uses for lost hosts (spot reclaims, scale-in): retried by Batch. */
  static final String INFRASTRUCTURE_LOSS = "Host EC2*";
  /** Start of the reason given to TerminateJob; a job ended with it was cancelled, not failed. */
  static final String CANCEL_REASON = "cancelled by urae";

  private final BatchClient client;
  private final BatchApi api;
  private final AwsBatchConfig config;
  private final ObjectStore store;
  private final CompletionCheck completion;
  private final AwsRetry.Sleeper sleeper;
  private final Map<String, Set<String>> liveJobsByRun = new ConcurrentHashMap<>();
  private final Set<String> terminated = ConcurrentHashMap.newKeySet();
  /** Runs seen cancelled (here or by {@code urae cancel} elsewhere): their tasks are not submitted again. */
  private final Set<String> cancelledRuns = ConcurrentHashMap.newKeySet();

  private AwsBatchExecutor(Builder b) {
    this.client = b.client;
    this.config = b.config;
    this.store = b.store;
    this.completion = b.completion;
    this.sleeper = b.sleeper;
    this.api = new BatchApi(b.client, b.retry, b.config.submitRate(), b.sleeper);
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
    List<TrackedJob> live = new ArrayList<>();
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
          live.add(submit(group.subList(from, Math.min(group.size(), from + config.arraySizeMax()))));
        }
      }
      poll(live, listener, outcomes);
    } catch (InterruptedException e) {
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
    for (String jobId : List.copyOf(jobIds)) terminateOnce(jobId, runId);
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
        if (!child && !isFinal(job.status()) && terminateOnce(job.jobId(), runId)) stopped.add(job.jobId());
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
    client.close();
  }

  private TrackedJob submit(List<TaskRef> tasks) throws InterruptedException {
    TaskRef first = tasks.get(0);
    String runId = first.runId();
    String stage = first.stage();
    String jobName = JobNames.next(runId, stage);
    boolean array = tasks.size() > 1;
    List<String> command = new ArrayList<>(config.workerCommand());
    List<KeyValuePair> environment = new ArrayList<>(List.of(
        env("URAE_RUN_ID", runId), env("URAE_STAGE", stage), env("URAE_STORE", store.root().toString())));
    if (array) {
      URI list;
      try {
        list = ArrayTaskList.write(store, ArrayTaskList.key(runId, stage, jobName), tasks.stream().map(TaskRef::spec).toList());
      } catch (IOException e) {
        throw new IllegalStateException("could not write the task list for " + jobName + ": " + e.getMessage(), e);
      }
      command.addAll(List.of("--task-list", list.toString()));
      environment.add(env(ArrayTaskList.TASK_LIST_VARIABLE, list.toString()));
    } else {
      command.addAll(List.of("--spec", first.spec().toString()));
      environment.add(env(ArrayTaskList.TASK_SPEC_VARIABLE, first.spec().toString()));
    }
    SubmitJobRequest.Builder request = SubmitJobRequest.builder()
        .jobName(jobName)
        .jobQueue(config.jobQueue(stage))
        .jobDefinition(config.jobDefinition(stage))
        .containerOverrides(ContainerOverrides.builder().command(command).environment(environment).build())
        .retryStrategy(retryStrategy())
        .timeout(t -> t.attemptDurationSeconds((int) Math.min(Integer.MAX_VALUE, config.timeout(stage).toSeconds())))
        .tags(Map.of("urae:run", runId, "urae:stage", stage))
        .propagateTags(true);
    if (array) request.arrayProperties(a -> a.size(tasks.size()));
    String jobId = api.submit(request.build()).jobId();
    LOG.info("submitted {} job {} ({}) for {} task(s) of {}/{}", array ? "array" : "single", jobName, jobId, tasks.size(), runId, stage);
    liveJobsByRun.computeIfAbsent(runId, k -> ConcurrentHashMap.newKeySet()).add(jobId);
    return new TrackedJob(jobId, jobName, runId, stage, tasks, array);
  }

  /** AWS Batch retries lost hosts only; everything else is the stage's to retry. */
  private RetryStrategy retryStrategy() {
    return RetryStrategy.builder()
        .attempts(config.attempts())
        .evaluateOnExit(
            EvaluateOnExit.builder().onStatusReason(INFRASTRUCTURE_LOSS).action(RetryAction.RETRY).build(),
            EvaluateOnExit.builder().onReason("*").action(RetryAction.EXIT).build())
        .build();
  }

  private void poll(List<TrackedJob> jobs, TaskListener listener, Map<String, TaskOutcome> outcomes) throws InterruptedException {
    Map<String, TrackedJob> live = new LinkedHashMap<>();
    for (TrackedJob job : jobs) live.put(job.jobId, job);
    Duration interval = config.pollMin();
    while (!live.isEmpty()) {
      sleeper.sleep(interval);
      boolean changed = false;
      List<JobDetail> details = api.describe(List.copyOf(live.keySet()));
      Set<String> seen = new java.util.HashSet<>();
      for (JobDetail detail : details) {
        TrackedJob job = live.get(detail.jobId());
        if (job == null) continue;
        seen.add(job.jobId);
        changed |= job.update(detail);
        if (job.hasStarted() && job.reportStartOnce()) job.tasks.forEach(listener::started);
        if (job.isDone()) {
          live.remove(job.jobId);
          forget(job);
          for (TaskOutcome outcome : finish(job)) {
            outcomes.put(outcome.task().taskId(), outcome);
            listener.ended(outcome);
          }
        }
      }
      for (TrackedJob lost : List.copyOf(live.values())) {
        if (seen.contains(lost.jobId)) continue;
        // DescribeJobs forgets jobs some days after they end; a job we submitted minutes ago that
        // it does not know was never accepted.
        live.remove(lost.jobId);
        forget(lost);
        for (TaskRef task : lost.tasks) {
          TaskOutcome outcome = TaskOutcome.failed(task, "AWS Batch does not know job " + lost.jobName + " (" + lost.jobId + ")", elapsed(lost, null));
          outcomes.put(task.taskId(), outcome);
          listener.ended(outcome);
        }
        changed = true;
      }
      interval = changed ? config.pollMin() : min(interval.multipliedBy(2), config.pollMax());
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
        failedChildren = failedChildren(job);
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

  /** Failed children of an array job: child index → reason. Lists them, then describes them 100 at a time. */
  private Map<Integer, String> failedChildren(TrackedJob job) throws InterruptedException {
    List<JobSummary> failed = api.listChildren(job.jobId, JobStatus.FAILED);
    List<String> ids = failed.stream().map(JobSummary::jobId).toList();
    Map<Integer, String> reasons = new HashMap<>();
    for (JobDetail child : api.describe(ids)) {
      Integer index = childIndex(child.jobId(), child.arrayProperties() == null ? null : child.arrayProperties().index());
      if (index != null) reasons.put(index, FailureReason.of(child, config.logGroup()));
    }
    for (JobSummary summary : failed) {
      Integer index = childIndex(summary.jobId(), summary.arrayProperties() == null ? null : summary.arrayProperties().index());
      if (index != null) reasons.putIfAbsent(index, "job " + summary.jobName() + " (" + summary.jobId() + ") FAILED: " + Objects.toString(summary.statusReason(), "no reason given"));
    }
    return reasons;
  }

  /** A child's index from its arrayProperties, else from its id ({@code parent:index}). */
  private static Integer childIndex(String jobId, Integer index) {
    if (index != null) return index;
    int colon = jobId.lastIndexOf(':');
    if (colon < 0) return null;
    try {
      return Integer.parseInt(jobId.substring(colon + 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String childSuffix(TrackedJob job, TaskRef task) {
    return job.array ? "[" + job.tasks.indexOf(task) + "]" : "";
  }

  private boolean terminateOnce(String jobId, String runId) {
    if (!terminated.add(jobId)) return false;
    try {
      api.terminate(jobId, CANCEL_REASON + " (run " + runId + ")");
      LOG.info("terminated job {} of run {}", jobId, runId);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (RuntimeException e) {
      LOG.warn("could not terminate job {} of run {}: {}", jobId, runId, AwsErrors.describe(e));
      return false;
    }
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

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static KeyValuePair env(String name, String value) {
    return KeyValuePair.builder().name(name).value(value).build();
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
    private CompletionCheck completion = CompletionCheck.NONE;
    private AwsRetry retry = AwsRetry.standard();
    private AwsRetry.Sleeper sleeper = d -> Thread.sleep(d.toMillis());

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
    public Builder optSleeper(AwsRetry.Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper == null");
      return this;
    }

    public AwsBatchExecutor build() {
      if (client == null) throw new IllegalArgumentException("client == null");
      if (config == null) throw new IllegalArgumentException("config == null");
      if (store == null) throw new IllegalArgumentException("store == null");
      return new AwsBatchExecutor(this);
    }
  }
}
