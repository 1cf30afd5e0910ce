package dev.urae.infra.awsbatch;

import dev.urae.infra.aws.AwsErrors;
import dev.urae.infra.aws.AwsRetry;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.batch.model.ComputeEnvironmentDetail;
import software.amazon.awssdk.services.batch.model.ComputeEnvironmentOrder;
import software.amazon.awssdk.services.batch.model.JobDetail;
import software.amazon.awssdk.services.batch.model.JobQueueDetail;
import software.amazon.awssdk.services.batch.model.JobStatus;
import software.amazon.awssdk.services.batch.model.JobSummary;
import software.amazon.awssdk.services.batch.model.KeyValuesPair;
import software.amazon.awssdk.services.batch.model.ListJobsRequest;
import software.amazon.awssdk.services.batch.model.ListJobsResponse;
import software.amazon.awssdk.services.batch.model.SubmitJobRequest;
import software.amazon.awssdk.services.batch.model.SubmitJobResponse;

/**
 * The AWS Batch calls the executor makes, each rate-limited or batched and retried in one
 * place: submissions at most {@code submitRate} per second, retried on throttling and 5xx;
 * {@code DescribeJobs} for up to 100 jobs per call; {@code ListJobs} followed page by page.
 */
public final class BatchApi {
  private static final Logger LOG = LoggerFactory.getLogger(BatchApi.class);
  /** AWS Batch's limit on job ids per DescribeJobs call. */
  public static final int DESCRIBE_BATCH = 100;

  private final BatchClient batch;
  private final AwsRetry retry;
  private final SubmissionRateLimiter submissions;

  public BatchApi(BatchClient batch, AwsRetry retry, double submitRate, AwsRetry.Sleeper sleeper) {
    this.batch = batch;
    this.retry = retry;
    this.submissions = new SubmissionRateLimiter(submitRate, sleeper == null ? d -> Thread.sleep(d.toMillis()) : sleeper);
  }

  /**
   * Submits a job whose name is unique. When an attempt failed in a way that may have reached
   * AWS Batch (a 5xx, a connection reset: anything but throttling), the job is looked up by its
   * name before trying again, so a lost answer never creates a second (10,000-child) job.
   */
  public SubmitJobResponse submit(SubmitJobRequest request) throws InterruptedException {
    submissions.acquire();
    AtomicBoolean mayExist = new AtomicBoolean();
    return retry.callUnchecked("SubmitJob " + request.jobName(), () -> {
      if (mayExist.get()) {
        Optional<JobSummary> earlier = listByNamePrefix(request.jobQueue(), request.jobName()).stream()
            .filter(j -> j.jobName().equals(request.jobName()) && !j.jobId().contains(":")).findFirst();
        if (earlier.isPresent()) {
          LOG.info("SubmitJob {} failed, but AWS Batch had accepted it as {}: not submitted again", request.jobName(), earlier.get().jobId());
          return SubmitJobResponse.builder().jobId(earlier.get().jobId()).jobName(request.jobName()).build();
        }
      }
      try {
        return batch.submitJob(request);
      } catch (RuntimeException e) {
        if (!AwsErrors.isThrottling(e)) mayExist.set(true);
        throw e;
      }
    });
  }

  /** Describes every job in {@code jobIds}, 100 per call. Jobs AWS no longer knows are absent. */
  public List<JobDetail> describe(List<String> jobIds) throws InterruptedException {
    List<JobDetail> details = new ArrayList<>(jobIds.size());
    for (int from = 0; from < jobIds.size(); from += DESCRIBE_BATCH) {
      List<String> slice = jobIds.subList(from, Math.min(jobIds.size(), from + DESCRIBE_BATCH));
      details.addAll(retry.callUnchecked("DescribeJobs", () -> batch.describeJobs(b -> b.jobs(slice)).jobs()));
    }
    return details;
  }

  /** The children of an array job in one status, every page. */
  public List<JobSummary> listChildren(String arrayJobId, JobStatus status) throws InterruptedException {
    return listAll(ListJobsRequest.builder().arrayJobId(arrayJobId).jobStatus(status).build());
  }

  /** Jobs in {@code queue} whose name starts with {@code namePrefix}, any status, every page. */
  public List<JobSummary> listByNamePrefix(String queue, String namePrefix) throws InterruptedException {
    return listAll(ListJobsRequest.builder().jobQueue(queue)
        .filters(KeyValuesPair.builder().name("JOB_NAME").values(namePrefix + "*").build()).build());
  }

  /** The compute environments of {@code queue} (name or ARN), in the queue's order; empty when AWS does not know the queue. */
  public List<ComputeEnvironmentDetail> computeEnvironments(String queue) throws InterruptedException {
    List<JobQueueDetail> queues = retry.callUnchecked("DescribeJobQueues", () -> batch.describeJobQueues(b -> b.jobQueues(queue)).jobQueues());
    if (queues.isEmpty()) return List.of();
    List<String> order = queues.get(0).computeEnvironmentOrder().stream()
        .sorted(java.util.Comparator.comparing(ComputeEnvironmentOrder::order)).map(ComputeEnvironmentOrder::computeEnvironment).toList();
    if (order.isEmpty()) return List.of();
    List<ComputeEnvironmentDetail> found = retry.callUnchecked("DescribeComputeEnvironments",
        () -> batch.describeComputeEnvironments(b -> b.computeEnvironments(order)).computeEnvironments());
    List<ComputeEnvironmentDetail> ordered = new ArrayList<>();
    for (String environment : order) {
      found.stream().filter(e -> environment.equals(e.computeEnvironmentArn()) || environment.equals(e.computeEnvironmentName()))
          .findFirst().ifPresent(ordered::add);
    }
    return ordered;
  }

  public void terminate(String jobId, String reason) throws InterruptedException {
    retry.callUnchecked("TerminateJob " + jobId, () -> batch.terminateJob(b -> b.jobId(jobId).reason(reason)));
  }

  private List<JobSummary> listAll(ListJobsRequest first) throws InterruptedException {
    List<JobSummary> all = new ArrayList<>();
    String token = null;
    do {
      ListJobsRequest request = first.toBuilder().nextToken(token).build();
      ListJobsResponse page = retry.callUnchecked("ListJobs", () -> batch.listJobs(request));
      all.addAll(page.jobSummaryList());
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    return all;
  }
}
