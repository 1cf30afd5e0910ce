package dev.urae.batch.aws;

import dev.urae.infra.awsbatch.AwsBatchConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code urae.aws.*}. Environment variables follow Spring's relaxed binding:
 * {@code URAE_AWS_BATCH_JOBQUEUE_TEACHER} is {@code urae.aws.batch.job-queue.teacher}.
 */
@ConfigurationProperties(prefix = "urae.aws")
public class AwsProperties {
  /** Region override; empty: the SDK chain (AWS_REGION, profile, instance metadata). */
  private String region = "";
  /** One endpoint for every AWS service (emulators only); empty: AWS_ENDPOINT_URL[_SERVICE] or AWS. */
  private String endpoint = "";
  private final Batch batch = new Batch();

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public Batch getBatch() {
    return batch;
  }

  /** {@code urae.aws.batch.*}: see {@link AwsBatchConfig#fromProperties} for the meaning of each. */
  public static class Batch {
    /** Job queue per stage (name or ARN), with a {@code default} entry. */
    private Map<String, String> jobQueue = new LinkedHashMap<>();
    /** Job definition per stage (name, name:revision or ARN), with a {@code default} entry. */
    private Map<String, String> jobDefinition = new LinkedHashMap<>();
    /** Per-attempt timeout per stage ({@code 90m}, {@code 6h}, {@code PT6H}), with a {@code default} entry (6h). */
    private Map<String, String> timeout = new LinkedHashMap<>();
    /** AWS Batch attempts for lost hosts only (Host EC2*). */
    private int attempts = 3;
    /** SubmitJob calls per second, at most 50. */
    private double submitRate = AwsBatchConfig.MAX_SUBMIT_RATE;
    /** First poll interval. */
    private String pollMin = "5s";
    /** Longest poll interval, reached while nothing changes. */
    private String pollMax = "60s";
    /** Children per array job, at most 10000. */
    private int arraySizeMax = AwsBatchConfig.MAX_ARRAY_SIZE;
    /** CloudWatch log group named in failure reasons. */
    private String logGroup = "/aws/batch/job";
    /** How long failing DescribeJobs calls count as "no news" before the stage gives up. */
    private String pollOutageBudget = "30m";
    /** Polls a job may be missing from DescribeJobs before it counts as unknown. */
    private int unknownAfterPolls = 3;
    /** Longest wait of a job in RUNNABLE before it is terminated with the likely causes. */
    private String runnableTimeout = "3h";

    public String getPollOutageBudget() {
      return pollOutageBudget;
    }

    public void setPollOutageBudget(String pollOutageBudget) {
      this.pollOutageBudget = pollOutageBudget;
    }

    public int getUnknownAfterPolls() {
      return unknownAfterPolls;
    }

    public void setUnknownAfterPolls(int unknownAfterPolls) {
      this.unknownAfterPolls = unknownAfterPolls;
    }

    public String getRunnableTimeout() {
      return runnableTimeout;
    }

    public void setRunnableTimeout(String runnableTimeout) {
      this.runnableTimeout = runnableTimeout;
    }

    /** The executor's configuration, validated (messages name the property). */
    public AwsBatchConfig toConfig() {
      Map<String, String> flat = new LinkedHashMap<>();
      jobQueue.forEach((stage, queue) -> flat.put("job-queue." + stage, queue));
      jobDefinition.forEach((stage, definition) -> flat.put("job-definition." + stage, definition));
      timeout.forEach((stage, value) -> flat.put("timeout." + stage, value));
      flat.put("attempts", String.valueOf(attempts));
      flat.put("submit-rate", String.valueOf(submitRate));
      flat.put("poll-min", pollMin);
      flat.put("poll-max", pollMax);
      flat.put("array-size-max", String.valueOf(arraySizeMax));
      flat.put("log-group", logGroup);
      flat.put("poll-outage-budget", pollOutageBudget);
      flat.put("unknown-after-polls", String.valueOf(unknownAfterPolls));
      flat.put("runnable-timeout", runnableTimeout);
      return AwsBatchConfig.fromProperties(flat);
    }

    public Map<String, String> getJobQueue() {
      return jobQueue;
    }

    public void setJobQueue(Map<String, String> jobQueue) {
      this.jobQueue = jobQueue;
    }

    public Map<String, String> getJobDefinition() {
      return jobDefinition;
    }

    public void setJobDefinition(Map<String, String> jobDefinition) {
      this.jobDefinition = jobDefinition;
    }

    public Map<String, String> getTimeout() {
      return timeout;
    }

    public void setTimeout(Map<String, String> timeout) {
      this.timeout = timeout;
    }

    public int getAttempts() {
      return attempts;
    }

    public void setAttempts(int attempts) {
      this.attempts = attempts;
    }

    public double getSubmitRate() {
      return submitRate;
    }

    public void setSubmitRate(double submitRate) {
      this.submitRate = submitRate;
    }

    public String getPollMin() {
      return pollMin;
    }

    public void setPollMin(String pollMin) {
      this.pollMin = pollMin;
    }

    public String getPollMax() {
      return pollMax;
    }

    public void setPollMax(String pollMax) {
      this.pollMax = pollMax;
    }

    public int getArraySizeMax() {
      return arraySizeMax;
    }

    public void setArraySizeMax(int arraySizeMax) {
      this.arraySizeMax = arraySizeMax;
    }

    public String getLogGroup() {
      return logGroup;
    }

    public void setLogGroup(String logGroup) {
      this.logGroup = logGroup;
    }
  }
}
