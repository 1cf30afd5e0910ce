package dev.urae.infra.awsbatch;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where and how each stage runs on AWS Batch. Queues, job definitions and timeouts are per
 * stage with a {@code default} fallback (Terraform outputs them); the rest are orchestration
 * knobs with documented defaults. Property names (under {@code urae.aws.batch.}) are listed in
 * {@link #fromProperties}.
 */
public final class AwsBatchConfig {
  /** The key used for stages that have no entry of their own. */
  public static final String DEFAULT_STAGE = "default";
  /** AWS Batch's limit on children per array job. */
  public static final int MAX_ARRAY_SIZE = 10_000;
  /** Submissions per second never exceed this, whatever is configured. */
  public static final double MAX_SUBMIT_RATE = 50.0;

  private final Map<String, String> jobQueues;
  private final Map<String, String> jobDefinitions;
  private final Map<String, Duration> timeouts;
  private final int attempts;
  private final double submitRate;
  private final Duration pollMin;
  private final Duration pollMax;
  private final int arraySizeMax;
  private final String logGroup;
  private final List<String> workerCommand;
  private final Duration pollOutageBudget;
  private final int unknownAfterPolls;
  private final Duration runnableTimeout;

  private AwsBatchConfig(Builder b) {
    this.jobQueues = Map.copyOf(b.jobQueues);
    this.jobDefinitions = Map.copyOf(b.jobDefinitions);
    this.timeouts = Map.copyOf(b.timeouts);
    this.attempts = b.attempts;
    this.submitRate = b.submitRate;
    this.pollMin = b.pollMin;
    this.pollMax = b.pollMax;
    this.arraySizeMax = b.arraySizeMax;
    this.logGroup = b.logGroup;
    this.workerCommand = List.copyOf(b.workerCommand);
    this.pollOutageBudget = b.pollOutageBudget;
    this.unknownAfterPolls = b.unknownAfterPolls;
    this.runnableTimeout = b.runnableTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the flat properties below {@code urae.aws.batch.} (the prefix already removed):
   * {@code job-queue.<stage>}, {@code job-definition.<stage>}, {@code timeout.<stage>} (each
   * with a {@code default} stage), {@code attempts}, {@code submit-rate}, {@code poll-min},
   * {@code poll-max}, {@code array-size-max}, {@code log-group}, {@code poll-outage-budget},
   * {@code unknown-after-polls}, {@code runnable-timeout}. Unknown names are refused, so a
   * typo is not silently ignored.
   */
  public static AwsBatchConfig fromProperties(Map<String, String> properties) {
    Builder b = builder();
    for (Map.Entry<String, String> e : new TreeMap<>(properties).entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      String full = "urae.aws.batch." + name;
      if (name.startsWith("job-queue.")) b.setJobQueue(name.substring("job-queue.".length()), value);
      else if (name.startsWith("job-definition.")) b.setJobDefinition(name.substring("job-definition.".length()), value);
      else if (name.startsWith("timeout.")) b.optTimeout(name.substring("timeout.".length()), Durations.parse(full, value));
      else if (name.equals("attempts")) b.optAttempts(parseInt(full, value));
      else if (name.equals("submit-rate")) b.optSubmitRate(parseDouble(full, value));
      else if (name.equals("poll-min")) b.optPollInterval(Durations.parse(full, value), b.pollMax);
      else if (name.equals("poll-max")) b.optPollInterval(b.pollMin, Durations.parse(full, value));
      else if (name.equals("array-size-max")) b.optArraySizeMax(parseInt(full, value));
      else if (name.equals("log-group")) b.optLogGroup(value);
      else if (name.equals("poll-outage-budget")) b.optPollOutageBudget(Durations.parse(full, value));
      else if (name.equals("unknown-after-polls")) b.optUnknownAfterPolls(parseInt(full, value));
      else if (name.equals("runnable-timeout")) b.optRunnableTimeout(Durations.parse(full, value));
      else throw new IllegalArgumentException("unknown property " + full
          + " (known: job-queue.<stage>, job-definition.<stage>, timeout.<stage>, attempts, submit-rate,"
          + " poll-min, poll-max, array-size-max, log-group, poll-outage-budget, unknown-after-polls, runnable-timeout)");
    }
    return b.build();
  }

  /** The job queue for {@code stage}, else the default one. */
  public String jobQueue(String stage) {
    return lookup(jobQueues, stage, "job-queue");
  }

  public String jobDefinition(String stage) {
    return lookup(jobDefinitions, stage, "job-definition");
  }

  /** Every configured queue, for finding a run's jobs from another process. */
  public List<String> jobQueues() {
    return jobQueues.values().stream().distinct().sorted().toList();
  }

  public Duration timeout(String stage) {
    Duration t = timeouts.get(stage);
    return t != null ? t : timeouts.getOrDefault(DEFAULT_STAGE, Duration.ofHours(6));
  }

  public int attempts() {
    return attempts;
  }

  public double submitRate() {
    return submitRate;
  }

  public Duration pollMin() {
    return pollMin;
  }

  public Duration pollMax() {
    return pollMax;
  }

  public int arraySizeMax() {
    return arraySizeMax;
  }

  /** How long DescribeJobs may keep failing (transiently) before the stage gives up on its jobs. */
  public Duration pollOutageBudget() {
    return pollOutageBudget;
  }

  /** Consecutive polls a job must be missing from DescribeJobs before it counts as unknown. */
  public int unknownAfterPolls() {
    return unknownAfterPolls;
  }

  /** How long a job may wait in RUNNABLE before it is terminated and its tasks fail. */
  public Duration runnableTimeout() {
    return runnableTimeout;
  }

  public String logGroup() {
    return logGroup;
  }

  /** The container command before its arguments: {@code urae worker}. */
  public List<String> workerCommand() {
    return workerCommand;
  }

  private static String lookup(Map<String, String> map, String stage, String what) {
    String value = map.get(stage);
    if (value == null) value = map.get(DEFAULT_STAGE);
    if (value == null) {
      throw new IllegalStateException("no AWS Batch " + what + " for stage '" + stage
          + "': set urae.aws.batch." + what + "." + stage + " or urae.aws.batch." + what + ".default");
    }
    return value;
  }

  private static int parseInt(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is not a whole number: " + value, e);
    }
  }

  private static double parseDouble(String name, String value) {
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is not a number: " + value, e);
    }
  }

  public static final class Builder {
    private final Map<String, String> jobQueues = new HashMap<>();
    private final Map<String, String> jobDefinitions = new HashMap<>();
    private final Map<String, Duration> timeouts = new HashMap<>();
    private int attempts = 3;
    private double submitRate = MAX_SUBMIT_RATE;
    private Duration pollMin = Duration.ofSeconds(5);
    private Duration pollMax = Duration.ofSeconds(60);
    private int arraySizeMax = MAX_ARRAY_SIZE;
    private String logGroup = "/aws/batch/job";
    private List<String> workerCommand = List.of("urae", "worker");
    private Duration pollOutageBudget = Duration.ofMinutes(30);
    private int unknownAfterPolls = 3;
    private Duration runnableTimeout = Duration.ofHours(3);

    private Builder() {}

    /** DescribeJobs failures (throttling, 5xx, network) count as "no news" this long (default 30 min). */
    public Builder optPollOutageBudget(Duration budget) {
      if (budget == null || budget.isNegative()) throw new IllegalArgumentException("poll-outage-budget must be >= 0: " + budget);
      this.pollOutageBudget = budget;
      return this;
    }

    /** Polls a job may be missing from DescribeJobs before it is unknown (default 3, at least 1). */
    public Builder optUnknownAfterPolls(int polls) {
      if (polls < 1) throw new IllegalArgumentException("unknown-after-polls must be >= 1: " + polls);
      this.unknownAfterPolls = polls;
      return this;
    }

    /**
     * Longest wait in RUNNABLE (default 3 h) before the job is terminated and the stage told the
     * likely causes. The Terraform module's queues cancel known misconfigurations earlier.
     */
    public Builder optRunnableTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("runnable-timeout must be positive: " + timeout);
      }
      this.runnableTimeout = timeout;
      return this;
    }

    /** Job queue (name or ARN) for a stage, or {@code default}. */
    public Builder setJobQueue(String stage, String queue) {
      jobQueues.put(requireStage(stage), requireText("job-queue." + stage, queue));
      return this;
    }

    /** Job definition (name, name:revision or ARN) for a stage, or {@code default}. */
    public Builder setJobDefinition(String stage, String definition) {
      jobDefinitions.put(requireStage(stage), requireText("job-definition." + stage, definition));
      return this;
    }

    /** Per-attempt timeout for a stage, or {@code default} (6 h unless set); AWS minimum 60 s. */
    public Builder optTimeout(String stage, Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.toSeconds() < 60) throw new IllegalArgumentException("timeout." + stage + " below AWS Batch's 60 s minimum: " + timeout);
      timeouts.put(requireStage(stage), timeout);
      return this;
    }

    /** AWS Batch attempts per job, for infrastructure losses only (1..10, default 3). */
    public Builder optAttempts(int attempts) {
      if (attempts < 1 || attempts > 10) throw new IllegalArgumentException("attempts must be 1..10: " + attempts);
      this.attempts = attempts;
      return this;
    }

    /** SubmitJob calls per second (default and maximum 50). */
    public Builder optSubmitRate(double perSecond) {
      if (!(perSecond > 0) || perSecond > MAX_SUBMIT_RATE) {
        throw new IllegalArgumentException("submit-rate must be in (0, 50]: " + perSecond);
      }
      this.submitRate = perSecond;
      return this;
    }

    /** Poll interval bounds: it starts at {@code min} and doubles up to {@code max} while nothing changes. */
    public Builder optPollInterval(Duration min, Duration max) {
      Objects.requireNonNull(min, "poll-min == null");
      Objects.requireNonNull(max, "poll-max == null");
      if (min.isNegative() || min.isZero()) throw new IllegalArgumentException("poll-min must be positive: " + min);
      this.pollMin = min;
      this.pollMax = max;
      return this;
    }

    /** Children per array job (default and maximum 10000). */
    public Builder optArraySizeMax(int size) {
      if (size < 2 || size > MAX_ARRAY_SIZE) throw new IllegalArgumentException("array-size-max must be 2..10000: " + size);
      this.arraySizeMax = size;
      return this;
    }

    public Builder optLogGroup(String logGroup) {
      this.logGroup = requireText("log-group", logGroup);
      return this;
    }

    /** The worker command the container runs, before {@code --spec}/{@code --task-list}. */
    public Builder optWorkerCommand(List<String> command) {
      if (command == null || command.isEmpty()) throw new IllegalArgumentException("worker command is empty");
      this.workerCommand = List.copyOf(command);
      return this;
    }

    public AwsBatchConfig build() {
      if (!jobQueues.containsKey(DEFAULT_STAGE) && jobQueues.isEmpty()) {
        throw new IllegalArgumentException("no job queue: set urae.aws.batch.job-queue.default (or one per stage)");
      }
      if (!jobDefinitions.containsKey(DEFAULT_STAGE) && jobDefinitions.isEmpty()) {
        throw new IllegalArgumentException("no job definition: set urae.aws.batch.job-definition.default (or one per stage)");
      }
      if (pollMax.compareTo(pollMin) < 0) throw new IllegalArgumentException("poll-max < poll-min: " + pollMax + " < " + pollMin);
      return new AwsBatchConfig(this);
    }

    private static String requireStage(String stage) {
      if (stage == null || stage.isBlank()) throw new IllegalArgumentException("stage is empty");
      return stage.trim();
    }

    private static String requireText(String name, String value) {
      if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " is empty");
      return value.trim();
    }
  }
}
