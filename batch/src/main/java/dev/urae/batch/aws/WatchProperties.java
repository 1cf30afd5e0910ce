package dev.urae.batch.aws;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings under {@code urae.watch.*} for {@code urae watch} (its options override them). */
@ConfigurationProperties(prefix = "urae.watch")
public class WatchProperties {
  /** SQS queue receiving S3 ObjectCreated notifications or EventBridge S3 events. */
  private String queueUrl = "";
  /** Only keys starting with this start runs. */
  private String prefix = "";
  /** Only keys ending with this start runs. */
  private String suffix = ".jsonl";
  /** Long-poll wait in seconds (0..20). */
  private int waitSeconds = 20;
  /** Runs this process carries out at once; further uploads wait in the queue. */
  private int maxConcurrentRuns = 2;
  /** Visibility timeout (s) of a received message, extended while its run is registered. */
  private int visibilitySeconds = 60;

  public int getVisibilitySeconds() {
    return visibilitySeconds;
  }

  public void setVisibilitySeconds(int visibilitySeconds) {
    this.visibilitySeconds = visibilitySeconds;
  }

  public String getQueueUrl() {
    return queueUrl;
  }

  public void setQueueUrl(String queueUrl) {
    this.queueUrl = queueUrl;
  }

  public String getPrefix() {
    return prefix;
  }

  public void setPrefix(String prefix) {
    this.prefix = prefix;
  }

  public String getSuffix() {
    return suffix;
  }

  public void setSuffix(String suffix) {
    this.suffix = suffix;
  }

  public int getWaitSeconds() {
    return waitSeconds;
  }

  public void setWaitSeconds(int waitSeconds) {
    this.waitSeconds = waitSeconds;
  }

  public int getMaxConcurrentRuns() {
    return maxConcurrentRuns;
  }

  public void setMaxConcurrentRuns(int maxConcurrentRuns) {
    this.maxConcurrentRuns = maxConcurrentRuns;
  }
}
