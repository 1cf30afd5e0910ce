package dev.urae.infra.awsbatch.bench;

import dev.urae.infra.aws.ApiCallCounter;
import dev.urae.infra.aws.AwsClientFactory;
import dev.urae.infra.awsbatch.AwsBatchConfig;
import dev.urae.infra.awsbatch.AwsBatchExecutor;
import dev.urae.infra.exec.TaskListener;
import dev.urae.infra.exec.TaskOutcome;
import dev.urae.infra.exec.TaskRef;
import dev.urae.infra.store.ObjectStore;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Orchestration overhead of one stage attempt on AWS Batch: {@code shards} tasks run through
 * the executor against an emulator, counting the AWS Batch calls it makes (SubmitJob,
 * DescribeJobs, ListJobs) and the wall time the orchestrator spends itself, that is,
 * not sleeping between polls. Targets: at most one SubmitJob per 10,000 shards and at most one
 * DescribeJobs per 100 live jobs per poll.
 */
public final class OrchestrationBenchmark {
  /** What one run measured. */
  public record Result(int shards, long submitJob, long describeJobs, long listJobs, int polls,
      int succeeded, Duration wall, Duration slept, Duration batchApi) {
    /** Wall time not spent sleeping between polls. */
    public Duration orchestratorTime() {
      return wall.minus(slept);
    }

    /** Orchestrator time not spent waiting for AWS Batch's answers: task lists, bookkeeping, pacing. */
    public Duration ownTime() {
      return orchestratorTime().minus(batchApi);
    }

    /** Array jobs needed: ⌈shards/10,000⌉. */
    public long arrays() {
      return (shards + AwsBatchConfig.MAX_ARRAY_SIZE - 1) / AwsBatchConfig.MAX_ARRAY_SIZE;
    }

    /** DescribeJobs calls that polling may make: ⌈live jobs/100⌉ per poll. */
    public long pollingBudget() {
      return (long) polls * ((arrays() + 99) / 100);
    }

    /** DescribeJobs calls for the reasons of failed children: ⌈failed/100⌉ (none when all succeed). */
    public long failureBudget() {
      return (shards - succeeded + 99) / 100;
    }

    /** Targets: one SubmitJob per 10,000 shards; one DescribeJobs per 100 live jobs per poll (plus failed children's reasons). */
    public boolean meetsTargets() {
      return submitJob <= arrays() && describeJobs <= pollingBudget() + failureBudget();
    }
  }

  private OrchestrationBenchmark() {}

  /**
   * Runs the benchmark and prints its figures.
   *
   * @param clients       clients for the emulator
   * @param jobQueue      an existing job queue there
   * @param jobDefinition an existing job definition there
   * @param store         where task lists go (an S3 store in the emulator)
   * @param shards        how many tasks the stage has
   * @param pollMin       the first poll interval
   */
  public static Result run(PrintStream out, AwsClientFactory clients, String jobQueue, String jobDefinition,
      ObjectStore store, int shards, Duration pollMin) throws InterruptedException {
    ApiCallCounter batchCalls = new ApiCallCounter();
    AtomicLong slept = new AtomicLong();
    AtomicInteger polls = new AtomicInteger();
    AwsBatchConfig config = AwsBatchConfig.builder()
        .setJobQueue(AwsBatchConfig.DEFAULT_STAGE, jobQueue)
        .setJobDefinition(AwsBatchConfig.DEFAULT_STAGE, jobDefinition)
        .optPollInterval(pollMin, pollMin.multipliedBy(8))
        .build();
    String runId = "bench-" + Long.toString(System.currentTimeMillis(), 36);
    List<TaskRef> tasks = new ArrayList<>(shards);
    for (int i = 0; i < shards; i++) {
      String id = String.format("shard-%05d", i);
      tasks.add(new TaskRef(runId, "teacher", id, store.uri("runs/" + runId + "/tasks/teacher/" + id + ".json")));
    }
    long t0 = System.nanoTime();
    Map<String, TaskOutcome> outcomes;
    try (AwsBatchExecutor executor = AwsBatchExecutor.builder()
        .setClient(clients.withInterceptor(batchCalls).batch())
        .setConfig(config)
        .setStore(store)
        .setTaskListKeys((run, stage, jobName) -> "runs/" + run + "/batch/" + stage + "/" + jobName + ".tasks")
        .optSleeper(d -> {
          // Poll waits are not orchestrator work; submission pacing (sub-poll waits) is counted as such.
          if (d.compareTo(pollMin) >= 0) {
            polls.incrementAndGet();
            slept.addAndGet(d.toNanos());
          }
          Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        })
        .build()) {
      outcomes = executor.runAll(tasks, TaskListener.NONE);
    }
    Duration wall = Duration.ofNanos(System.nanoTime() - t0);
    int succeeded = (int) outcomes.values().stream().filter(TaskOutcome::succeeded).count();
    Result result = new Result(shards, batchCalls.count("SubmitJob"), batchCalls.count("DescribeJobs"),
        batchCalls.count("ListJobs"), polls.get(), succeeded, wall, Duration.ofNanos(slept.get()), batchCalls.waiting());
    out.printf("orchestration benchmark: %,d shards, one stage attempt on AWS Batch (emulated)%n", shards);
    out.printf("  SubmitJob     %,6d  (target <= %d: one array job per 10,000 shards)%n", result.submitJob(),
        (shards + AwsBatchConfig.MAX_ARRAY_SIZE - 1) / AwsBatchConfig.MAX_ARRAY_SIZE);
    out.printf("  DescribeJobs  %,6d  over %d poll(s) (target <= %d: 1 per 100 live jobs per poll, + %d for failed children's reasons)%n",
        result.describeJobs(), result.polls(), result.pollingBudget() + result.failureBudget(), result.failureBudget());
    out.printf("  ListJobs      %,6d  (only when children failed: %,d failed)%n", result.listJobs(), shards - succeeded);
    out.printf("  outcomes      %,6d succeeded of %,d%n", succeeded, shards);
    out.printf("  wall time     %,6d ms = %,d ms between polls + %,d ms orchestrating%n",
        wall.toMillis(), result.slept().toMillis(), result.orchestratorTime().toMillis());
    out.printf("  orchestrating %,6d ms = %,d ms awaiting AWS Batch answers + %,d ms own work (task list to S3, bookkeeping)%n",
        result.orchestratorTime().toMillis(), result.batchApi().toMillis(), result.ownTime().toMillis());
    out.printf("  targets       %s%n", result.meetsTargets() ? "met" : "MISSED");
    return result;
  }
}
