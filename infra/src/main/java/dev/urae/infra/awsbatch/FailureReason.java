package dev.urae.infra.awsbatch;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.batch.model.AttemptDetail;
import software.amazon.awssdk.services.batch.model.ContainerDetail;
import software.amazon.awssdk.services.batch.model.JobDetail;

/**
 * What {@code urae status} says about a failed job: its status reason, the container's exit
 * code and reason, how many attempts it took and how many of them were spot reclaims, and the
 * CloudWatch log stream to read next. Example: {@code job urae-r1-teacher-x:7 FAILED: Essential
 * container in task exited; exit code 137 (OutOfMemoryError: Container killed due to memory
 * usage); 3 attempts, 2 spot reclaims; log /aws/batch/job stream def/default/abc}.
 */
public final class FailureReason {
  /** What usually keeps a job in RUNNABLE, for messages about such jobs. */
  public static final String RUNNABLE_CAUSES = "likely causes: no allowed instance type has the job's vCPUs, memory"
      + " or GPUs; the compute environment's max vCPUs is below the job's; a Spot or on-demand vCPU quota of 0 for"
      + " the instance family in this region; no capacity for the instance types; or instances that cannot reach"
      + " ECS and ECR (no NAT gateway or VPC endpoints in the subnets) - see docs/aws.md, GPU instances and Network";

  private FailureReason() {}

  /** True for the status reasons AWS Batch gives when the host went away (spot reclaim, scale-in). */
  public static boolean isInfrastructureLoss(String statusReason) {
    return statusReason != null && statusReason.startsWith("Host EC2");
  }

  public static String of(JobDetail job, String logGroup) {
    List<String> parts = new ArrayList<>();
    if (notBlank(job.statusReason())) parts.add(job.statusReason());
    // The queue's job state time limit cancelled a job stuck in RUNNABLE.
    if (notBlank(job.statusReason()) && (job.statusReason().startsWith("MISCONFIGURATION:") || job.statusReason().startsWith("CAPACITY:"))) {
      parts.add(RUNNABLE_CAUSES);
    }
    ContainerDetail container = job.container();
    if (container != null && container.exitCode() != null) {
      parts.add("exit code " + container.exitCode() + (notBlank(container.reason()) ? " (" + container.reason() + ")" : ""));
    } else if (container != null && notBlank(container.reason())) {
      parts.add(container.reason());
    }
    List<AttemptDetail> attempts = job.attempts() == null ? List.of() : job.attempts();
    long reclaims = attempts.stream().filter(a -> isInfrastructureLoss(a.statusReason())).count();
    if (!attempts.isEmpty()) {
      parts.add(attempts.size() + (attempts.size() == 1 ? " attempt" : " attempts")
          + (reclaims > 0 ? ", " + reclaims + (reclaims == 1 ? " spot reclaim" : " spot reclaims") : ""));
    }
    String stream = logStream(job, attempts);
    if (stream != null) parts.add("log " + logGroup + " stream " + stream);
    String head = "job " + job.jobName() + (job.jobId() != null && job.jobId().contains(":")
        ? "[" + job.jobId().substring(job.jobId().indexOf(':') + 1) + "]" : "") + " (" + job.jobId() + ") " + job.statusAsString();
    return parts.isEmpty() ? head + " without a reason from AWS Batch" : head + ": " + String.join("; ", parts);
  }

  private static String logStream(JobDetail job, List<AttemptDetail> attempts) {
    if (job.container() != null && notBlank(job.container().logStreamName())) return job.container().logStreamName();
    for (int i = attempts.size() - 1; i >= 0; i--) {
      AttemptDetail a = attempts.get(i);
      if (a.container() != null && notBlank(a.container().logStreamName())) return a.container().logStreamName();
    }
    return null;
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
