package dev.urae.infra.awsbatch;

import dev.urae.infra.exec.ComputeAttempt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.batch.model.AttemptDetail;
import software.amazon.awssdk.services.batch.model.ComputeEnvironmentDetail;
import software.amazon.awssdk.services.batch.model.ContainerDetail;
import software.amazon.awssdk.services.batch.model.JobDetail;
import software.amazon.awssdk.services.batch.model.ResourceRequirement;

/**
 * The attempts of ended jobs, as AWS Batch recorded them: {@code DescribeJobs} on every array
 * child (100 per call, across the jobs that ended together) gives each attempt's start and stop time and the resources the child
 * reserved; the job queue's compute environments say whether an attempt ran on Spot, on-demand
 * or Fargate (by the ECS cluster in the attempt's task ARN, else by the only kind the queue has),
 * and {@link InstancePrices} estimates its cost. Queues are described once per executor.
 */
final class JobAttempts {
  private static final Logger LOG = LoggerFactory.getLogger(JobAttempts.class);

  private final BatchApi api;
  private final InstancePrices prices;
  private final Map<String, List<ComputeEnvironmentDetail>> environmentsByQueue = new ConcurrentHashMap<>();

  JobAttempts(BatchApi api, InstancePrices prices) {
    this.api = api;
    this.prices = prices;
  }

  /**
   * Every attempt of each job's children (or of the job itself when it is not an array), the
   * children of all {@code jobs} described together, 100 per call.
   */
  Map<TrackedJob, List<ComputeAttempt>> of(List<TrackedJob> jobs) throws InterruptedException {
    Map<String, TrackedJob> jobById = new HashMap<>();
    List<String> ids = new ArrayList<>();
    for (TrackedJob job : jobs) {
      jobById.put(job.jobId, job);
      if (job.array) IntStream.range(0, job.tasks.size()).mapToObj(i -> job.jobId + ":" + i).forEach(ids::add);
      else ids.add(job.jobId);
    }
    Map<TrackedJob, List<JobDetail>> detailsByJob = new LinkedHashMap<>();
    jobs.forEach(job -> detailsByJob.put(job, new ArrayList<>()));
    for (JobDetail detail : api.describe(ids)) {
      String id = detail.jobId();
      TrackedJob job = jobById.get(id.contains(":") ? id.substring(0, id.indexOf(':')) : id);
      if (job != null) detailsByJob.get(job).add(detail);
    }
    Map<TrackedJob, List<ComputeAttempt>> attempts = new LinkedHashMap<>();
    for (Map.Entry<TrackedJob, List<JobDetail>> entry : detailsByJob.entrySet()) {
      attempts.put(entry.getKey(), of(entry.getValue(), environments(entry.getKey()), prices));
    }
    return attempts;
  }

  /** The compute environments of the queue {@code job} ran in, described once per queue. */
  private List<ComputeEnvironmentDetail> environments(TrackedJob job) throws InterruptedException {
    String queue = job.last() == null ? null : job.last().jobQueue();
    if (queue == null) return List.of();
    List<ComputeEnvironmentDetail> environments = environmentsByQueue.get(queue);
    if (environments == null) {
      environments = api.computeEnvironments(queue);
      environmentsByQueue.put(queue, environments);
    }
    return environments;
  }

  /** The attempts in {@code details}, priced: what {@link #of(TrackedJob)} does once AWS has answered. */
  static List<ComputeAttempt> of(List<JobDetail> details, List<ComputeEnvironmentDetail> environments, InstancePrices prices) {
    List<ComputeAttempt> attempts = new ArrayList<>();
    for (JobDetail detail : details) {
      Resources reserved = Resources.of(detail.container());
      for (AttemptDetail attempt : detail.attempts()) {
        if (attempt.startedAt() == null || attempt.stoppedAt() == null) continue; // never ran, or still running
        Optional<ComputeEnvironmentDetail> ranOn = environmentOf(attempt, environments);
        Capacity capacity = ranOn.map(e -> Capacity.of(e.computeResources() == null ? null : e.computeResources().type()))
            .orElse(Capacity.UNKNOWN);
        List<String> allowed = ranOn.map(JobAttempts::instanceTypes)
            .orElseGet(() -> environments.stream().flatMap(e -> instanceTypes(e).stream()).distinct().toList());
        Instant started = Instant.ofEpochMilli(attempt.startedAt());
        Instant stopped = Instant.ofEpochMilli(Math.max(attempt.startedAt(), attempt.stoppedAt()));
        double hours = (stopped.toEpochMilli() - started.toEpochMilli()) / 3_600_000.0;
        Optional<InstancePrices.Estimate> estimate = prices.estimate(hours, reserved.vcpus, reserved.memoryMib, reserved.gpus, capacity, allowed);
        if (estimate.isEmpty()) {
          LOG.warn("no price for job {} ({} vCPUs, {} MiB, {} GPUs) on {}: no priced instance type among {} holds it",
              detail.jobId(), reserved.vcpus, reserved.memoryMib, reserved.gpus, capacity, allowed);
        }
        attempts.add(new ComputeAttempt(detail.jobId(), started, stopped, reserved.vcpus, reserved.memoryMib, reserved.gpus,
            capacity.name(), estimate.map(InstancePrices.Estimate::instanceType).orElse(null),
            estimate.map(InstancePrices.Estimate::usd).orElse(null)));
      }
    }
    return attempts;
  }

  /**
   * The compute environment an attempt ran in: the one whose ECS cluster is named in the
   * attempt's task ARN ({@code arn:aws:ecs:...:task/<cluster>/<id>}), else the queue's only kind.
   */
  private static Optional<ComputeEnvironmentDetail> environmentOf(AttemptDetail attempt, List<ComputeEnvironmentDetail> environments) {
    String taskArn = attempt.container() == null ? null : attempt.container().taskArn();
    if (taskArn != null && taskArn.contains(":task/")) {
      String[] path = taskArn.substring(taskArn.indexOf(":task/") + ":task/".length()).split("/");
      if (path.length == 2) {
        for (ComputeEnvironmentDetail environment : environments) {
          String cluster = environment.ecsClusterArn();
          if (cluster != null && cluster.endsWith(":cluster/" + path[0])) return Optional.of(environment);
        }
      }
    }
    boolean oneKind = environments.stream().map(e -> e.computeResources() == null ? null : e.computeResources().type()).distinct().count() == 1;
    return oneKind && !environments.isEmpty() ? Optional.of(environments.get(0)) : Optional.empty();
  }

  private static List<String> instanceTypes(ComputeEnvironmentDetail environment) {
    return environment.computeResources() == null ? List.of() : environment.computeResources().instanceTypes();
  }

  /** What a job reserved: its resource requirements, else the older vcpus/memory fields. */
  private record Resources(double vcpus, long memoryMib, int gpus) {
    static Resources of(ContainerDetail container) {
      if (container == null) return new Resources(0, 0, 0);
      double vcpus = container.vcpus() == null ? 0 : container.vcpus();
      long memory = container.memory() == null ? 0 : container.memory();
      int gpus = 0;
      for (ResourceRequirement requirement : container.resourceRequirements()) {
        try {
          switch (requirement.type()) {
            case VCPU -> vcpus = Double.parseDouble(requirement.value());
            case MEMORY -> memory = Long.parseLong(requirement.value());
            case GPU -> gpus = Integer.parseInt(requirement.value());
            default -> { }
          }
        } catch (NumberFormatException | NullPointerException e) {
          LOG.warn("resource requirement {} = {} is not a number; counted as 0", requirement.typeAsString(), requirement.value());
        }
      }
      return new Resources(vcpus, memory, gpus);
    }
  }
}
