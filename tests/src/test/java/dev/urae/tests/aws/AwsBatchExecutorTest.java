package dev.urae.tests.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

import dev.urae.infra.aws.ApiCallCounter;
import dev.urae.infra.aws.AwsClientFactory;
import dev.urae.infra.aws.AwsRetry;
import dev.urae.infra.awsbatch.AwsBatchConfig;
import dev.urae.infra.awsbatch.AwsBatchExecutor;
import dev.urae.infra.exec.MarkerCompletionCheck;
import dev.urae.infra.exec.TaskListener;
import dev.urae.infra.exec.TaskOutcome;
import dev.urae.infra.exec.TaskRef;
import dev.urae.infra.s3.S3ObjectStore;
import dev.urae.infra.store.ObjectStore;
import dev.urae.tests.support.AwsEmulator;
import dev.urae.tests.support.BatchEnvironment;
import dev.urae.tests.support.FaultInjectingProxy;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.batch.model.JobDetail;
import software.amazon.awssdk.services.batch.model.KeyValuePair;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The AWS Batch executor against the emulator. Moto runs Batch jobs without containers: they
 * succeed at once (or, in a private moto with {@code MOTO_SIMPLE_BATCH_FAIL_AFTER=0}, fail at
 * once), so these tests observe what the executor submits, how it polls and what it reports.
 * A recording proxy sits in front of the emulator to count calls, inject throttling and hold
 * jobs "RUNNING".
 */
class AwsBatchExecutorTest {
  private static final Duration FAST_POLL = Duration.ofMillis(20);

  private AwsEmulator emulator;
  private BatchEnvironment batchEnv;
  private FaultInjectingProxy proxy;
  private ObjectStore store;
  private String bucket;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    emulator = AwsEmulator.get();
    assumeTrue(emulator.isMoto() || System.getenv("URAE_TEST_BATCH_EMULATED") != null,
        "AWS Batch tests need moto (LocalStack's community edition has no Batch)");
    setUpAgainst(emulator);
  }

  private void setUpAgainst(AwsEmulator target) throws Exception {
    batchEnv = BatchEnvironment.create(target);
    proxy = new FaultInjectingProxy(target.endpoint());
    bucket = AwsEmulator.uniqueName("batch");
    try (S3Client s3 = target.clients().s3()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    store = S3ObjectStore.open(URI.create("s3://" + bucket + "/urae/"), target.clients());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (proxy != null) proxy.close();
    if (store != null) store.close();
  }

  @Test
  void aStageAttemptIsOneArrayJobCarryingOverridesRetryStrategyTimeoutAndTags() throws Exception {
    // given
    List<TaskRef> tasks = tasks("run-a1", "teacher", 3);
    try (AwsBatchExecutor executor = executor(config().optTimeout("teacher", Duration.ofMinutes(90)).build())) {
      // when
      Map<String, TaskOutcome> outcomes = executor.runAll(tasks, TaskListener.NONE);

      // then: every task succeeded through one submission
      assertThat(outcomes.values()).extracting(TaskOutcome::status).containsOnly(TaskOutcome.Status.SUCCEEDED);
      assertThat(proxy.requests("submitjob")).hasSize(1);
    }
    JobDetail job = describeOnlySubmittedJob();
    assertThat(job.arrayProperties().size()).isEqualTo(3);
    assertThat(job.jobName()).startsWith("urae-run-a1-teacher-");
    assertThat(job.jobQueue()).endsWith(batchEnv.jobQueue());
    assertThat(job.timeout().attemptDurationSeconds()).isEqualTo(90 * 60);
    assertThat(job.tags()).containsEntry("urae:run", "run-a1").containsEntry("urae:stage", "teacher");
    String listUri = "s3://" + bucket + "/urae/runs/run-a1/batch/teacher/" + job.jobName() + ".tasks";
    assertThat(job.container().command()).containsExactly("urae", "worker", "--task-list", listUri);
    assertThat(job.container().environment()).extracting(KeyValuePair::name, KeyValuePair::value).contains(
        org.assertj.core.groups.Tuple.tuple("URAE_RUN_ID", "run-a1"),
        org.assertj.core.groups.Tuple.tuple("URAE_STAGE", "teacher"),
        org.assertj.core.groups.Tuple.tuple("URAE_STORE", "s3://" + bucket + "/urae/"),
        org.assertj.core.groups.Tuple.tuple("URAE_TASK_LIST", listUri));
    // the child at index i reads line i of the task list
    try (InputStream in = store.get("runs/run-a1/batch/teacher/" + job.jobName() + ".tasks")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList())
          .containsExactlyElementsOf(tasks.stream().map(t -> t.spec().toString()).toList());
    }
    // moto does not keep a submission's retryStrategy, so it is read from the request itself
    assertThat(proxy.requests("submitjob").get(0))
        .contains("\"retryStrategy\":{\"attempts\":3,\"evaluateOnExit\":[{\"onStatusReason\":\"Host EC2*\",\"action\":\"RETRY\"},"
            + "{\"onStatusReason\":\"CannotPullContainerError*\",\"action\":\"RETRY\"},"
            + "{\"onStatusReason\":\"DockerTimeoutError*\",\"action\":\"RETRY\"},{\"onReason\":\"*\",\"action\":\"EXIT\"}]}")
        .contains("\"propagateTags\":true");
  }

  @Test
  void everyArrayChildsAttemptIsMeasuredWithTheResourcesItReservedAndPriced() throws Exception {
    // given
    List<TaskRef> tasks = tasks("run-a9", "teacher", 3);
    List<dev.urae.infra.exec.JobCompute> measured = new CopyOnWriteArrayList<>();
    try (AwsBatchExecutor executor = executor(config().build())) {
      // when
      executor.runAll(tasks, new TaskListener() {
        @Override public void measured(dev.urae.infra.exec.JobCompute job) {
          measured.add(job);
        }
      });
    }

    // then: one record for the array job, one attempt per child, as moto recorded them
    JobDetail job = describeOnlySubmittedJob();
    assertThat(measured).singleElement().satisfies(compute -> {
      assertThat(compute.jobId()).isEqualTo(job.jobId());
      assertThat(compute.prices()).contains("2025-06");
      assertThat(compute.attempts()).extracting(dev.urae.infra.exec.ComputeAttempt::jobId)
          .containsExactlyInAnyOrder(job.jobId() + ":0", job.jobId() + ":1", job.jobId() + ":2");
      assertThat(compute.attempts()).allSatisfy(attempt -> {
        assertThat(attempt.vcpus()).isEqualTo(1.0);
        assertThat(attempt.memoryMib()).isEqualTo(2048);
        assertThat(attempt.gpus()).isZero();
        // the test queue's compute environment is UNMANAGED: AWS names no capacity kind for it
        assertThat(attempt.capacity()).isEqualTo("UNKNOWN");
        assertThat(attempt.estimatedUsd()).isNotNull().isGreaterThanOrEqualTo(0.0);
        assertThat(attempt.stoppedAt()).isAfterOrEqualTo(attempt.startedAt());
      });
    });
    // the children were described by id, and the queue once for its compute environments
    assertThat(proxy.requests("describejobs")).anySatisfy(body -> assertThat(body).contains(job.jobId() + ":2"));
    assertThat(proxy.requests("describejobqueues")).hasSize(1);
  }

  @Test
  void aOneTaskStageIsASingleJobNamingItsSpec() throws Exception {
    // given
    List<TaskRef> training = tasks("run-a2", "adapt", 1);

    // when
    try (AwsBatchExecutor executor = executor(config().build())) {
      executor.runAll(training, TaskListener.NONE);
    }

    // then
    JobDetail job = describeOnlySubmittedJob();
    assertThat(job.arrayProperties()).isNull();
    assertThat(job.container().command()).containsExactly("urae", "worker", "--spec", training.get(0).spec().toString());
    assertThat(job.timeout().attemptDurationSeconds()).isEqualTo(6 * 3600);
  }

  @Test
  void succeededWithoutACompletionMarkerIsAFailureSaidAsSuch() throws Exception {
    // given: AWS Batch will say SUCCEEDED for all three, but only two left a marker
    List<TaskRef> tasks = tasks("run-a3", "render", 3);
    store.put("runs/run-a3/tasks/render/shard-00000.done", "{}".getBytes(StandardCharsets.UTF_8));
    store.put("runs/run-a3/tasks/render/shard-00002.done", "{}".getBytes(StandardCharsets.UTF_8));

    // when
    Map<String, TaskOutcome> outcomes;
    try (AwsBatchExecutor executor = executorBuilder(config().build())
        .optCompletionCheck(new MarkerCompletionCheck(store, task -> "runs/" + task.runId() + "/tasks/" + task.stage() + "/" + task.taskId() + ".done")).build()) {
      outcomes = executor.runAll(tasks, TaskListener.NONE);
    }

    // then
    assertThat(outcomes.get("shard-00000").succeeded()).isTrue();
    assertThat(outcomes.get("shard-00002").succeeded()).isTrue();
    TaskOutcome missing = outcomes.get("shard-00001");
    assertThat(missing.succeeded()).isFalse();
    assertThat(missing.reason())
        .contains("SUCCEEDED, but the task left no valid completion marker")
        .contains("s3://" + bucket + "/urae/runs/run-a3/tasks/render/shard-00001.done")
        .contains("[1]");
  }

  @Test
  void failedChildrenAreListedAndSurfacedWithTheirReasons() throws Exception {
    // given: a moto of our own in which every Batch job fails
    var failing = AwsEmulator.startPrivateMoto(Map.of("MOTO_SIMPLE_BATCH_FAIL_AFTER", "0"));
    assumeTrue(failing.isPresent(), "needs moto_server to start a failing emulator");
    try {
      proxy.close();
      store.close();
      setUpAgainst(failing.get());
      ApiCallCounter calls = new ApiCallCounter();
      List<TaskRef> tasks = tasks("run-a4", "cache", 3);

      // when
      Map<String, TaskOutcome> outcomes;
      try (AwsBatchExecutor executor = AwsBatchExecutor.builder()
          .setClient(AwsEmulator.clientsFor(proxy.endpoint()).withInterceptor(calls).batch())
          .setConfig(config().build()).setStore(store).setTaskListKeys(this::taskListKey).optSleeper(this::recordSleep).build()) {
        outcomes = executor.runAll(tasks, TaskListener.NONE);
      }

      // then: each task fails with its own child's reason, found by one listing
      assertThat(outcomes.values()).extracting(TaskOutcome::status).containsOnly(TaskOutcome.Status.FAILED);
      for (int i = 0; i < 3; i++) {
        assertThat(outcomes.get(String.format("shard-%05d", i)).reason())
            .startsWith("job urae-run-a4-cache-")
            .contains("[" + i + "]")
            .contains("FAILED")
            .contains("1 attempt")
            .contains("log /aws/batch/job stream ");
      }
      assertThat(calls.count("ListJobs")).isEqualTo(1);
      assertThat(calls.count("SubmitJob")).isEqualTo(1);
    } finally {
      failing.get().close();
    }
  }

  @Test
  void throttledSubmissionsAndPollsAreRetriedWithBackoff() throws Exception {
    // given: AWS Batch answers the first two submissions with 429 and the first poll with 503
    proxy.failNext("submitjob", 2, FaultInjectingProxy.tooManyRequests());
    proxy.failNext("describejobs", 1, FaultInjectingProxy.serviceUnavailable());
    List<TaskRef> tasks = tasks("run-a5", "teacher", 4);

    // when
    Map<String, TaskOutcome> outcomes;
    try (AwsBatchExecutor executor = executor(config().build())) {
      outcomes = executor.runAll(tasks, TaskListener.NONE);
    }

    // then: the run went through, with exactly one job created
    assertThat(outcomes.values()).extracting(TaskOutcome::status).containsOnly(TaskOutcome.Status.SUCCEEDED);
    assertThat(proxy.injectedFaults()).isEqualTo(3);
    assertThat(proxy.requests("submitjob")).hasSize(3);
    try (BatchClient batch = emulator.clients().batch()) {
      assertThat(batch.listJobs(b -> b.jobQueue(batchEnv.jobQueue())).jobSummaryList())
          .filteredOn(j -> !j.jobId().contains(":")).hasSize(1);
    }
  }

  @Test
  void aBatchApiBrownOutIsNoNewsAndTheStageStillCompletes() throws Exception {
    // given: DescribeJobs answers 503 twelve times in a row, more than one call's five retries
    proxy.failNext("describejobs", 12, FaultInjectingProxy.serviceUnavailable());
    List<TaskRef> tasks = tasks("run-b1", "teacher", 3);

    // when
    Map<String, TaskOutcome> outcomes;
    try (AwsBatchExecutor executor = executor(config().build())) {
      outcomes = executor.runAll(tasks, TaskListener.NONE);
    }

    // then: the polls outlived the brown-out and the job it kept running is the one reported
    assertThat(outcomes.values()).extracting(TaskOutcome::status).containsOnly(TaskOutcome.Status.SUCCEEDED);
    assertThat(proxy.injectedFaults()).isEqualTo(12);
    assertThat(proxy.requests("submitjob")).hasSize(1);
  }

  @Test
  void aBrownOutLongerThanTheBudgetEndsTheStageAttempt() throws Exception {
    // given: a zero budget and a DescribeJobs that keeps failing
    proxy.failNext("describejobs", 1_000, FaultInjectingProxy.serviceUnavailable());

    // when / then
    try (AwsBatchExecutor executor = executor(config().optPollOutageBudget(Duration.ZERO).build())) {
      assertThatThrownBy(() -> executor.runAll(tasks("run-b2", "teacher", 2), TaskListener.NONE))
          .hasMessageContaining("DescribeJobs failed").hasMessageContaining("503");
    }
  }

  @Test
  void aJobMissingFromTwoPollsIsStillWatchedAndOneMissingFromThreeIsUnknown() throws Exception {
    // given: DescribeJobs forgets the first job for two polls, the second job for good
    java.util.concurrent.atomic.AtomicInteger polls = new java.util.concurrent.atomic.AtomicInteger();
    proxy.rewrite("describejobs", body -> polls.incrementAndGet() <= 2 ? "{\"jobs\":[]}" : body);
    Map<String, TaskOutcome> outcomes;
    try (AwsBatchExecutor executor = executor(config().build())) {
      outcomes = executor.runAll(tasks("run-b3", "teacher", 2), TaskListener.NONE);
    }
    assertThat(outcomes.values()).extracting(TaskOutcome::status).containsOnly(TaskOutcome.Status.SUCCEEDED);

    // when
    int pollsBefore = proxy.requests("describejobs").size();
    proxy.rewrite("describejobs", body -> "{\"jobs\":[]}");
    try (AwsBatchExecutor executor = executor(config().build())) {
      outcomes = executor.runAll(tasks("run-b4", "teacher", 2), TaskListener.NONE);
    }

    // then
    assertThat(outcomes.values()).allSatisfy(o -> assertThat(o.reason()).contains("AWS Batch does not know job"));
    assertThat(proxy.requests("describejobs").size() - pollsBefore).as("polls of the forgotten job").isEqualTo(3);
  }

  @Test
  void aSubmissionWhoseAnswerWasLostIsFoundByItsNameAndNotSubmittedTwice() throws Exception {
    // given: AWS Batch accepts the first SubmitJob but its answer is lost (503 after the fact)
    proxy.failAfterForwardingNext("submitjob", 1, FaultInjectingProxy.serviceUnavailable());
    List<TaskRef> tasks = tasks("run-b5", "teacher", 3);

    // when
    Map<String, TaskOutcome> outcomes;
    try (AwsBatchExecutor executor = executor(config().build())) {
      outcomes = executor.runAll(tasks, TaskListener.NONE);
    }

    // then: one array job exists, found by name instead of being submitted again
    assertThat(outcomes.values()).extracting(TaskOutcome::status).containsOnly(TaskOutcome.Status.SUCCEEDED);
    assertThat(proxy.requests("submitjob")).hasSize(1);
    try (BatchClient batch = emulator.clients().batch()) {
      assertThat(batch.listJobs(b -> b.jobQueue(batchEnv.jobQueue()).filters(f -> f.name("JOB_NAME").values("urae-run-b5-*")))
          .jobSummaryList()).filteredOn(j -> !j.jobId().contains(":")).hasSize(1);
    }
  }

  @Test
  void aJobStuckInRunnableIsReportedWhileItWaitsThenTerminatedWithItsLikelyCauses() throws Exception {
    // given: the emulator's job looks RUNNABLE, with the reason AWS Batch gives
    proxy.rewrite("describejobs", body -> body.replaceAll("\"status\":\\s*\"SUCCEEDED\"",
        "\"status\":\"RUNNABLE\",\"statusReason\":\"MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - no instance type fits\""));
    List<String> waits = new CopyOnWriteArrayList<>();
    TaskRef train = new TaskRef("run-b6", "adapt", "train", store.uri("runs/run-b6/tasks/adapt/train.json"));

    // when
    Map<String, TaskOutcome> outcomes;
    try (AwsBatchExecutor executor = executor(config().optRunnableTimeout(Duration.ofMillis(300)).build())) {
      outcomes = executor.runAll(List.of(train), new TaskListener() {
        @Override public void waiting(List<TaskRef> waiting, String reason) {
          waits.add(waiting.size() + " " + reason);
        }
      });
    }

    // then
    assertThat(waits).isNotEmpty().allSatisfy(w -> assertThat(w).isEqualTo("1 MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - no instance type fits"));
    assertThat(outcomes.get("train").reason()).contains("in RUNNABLE").contains("no instance type fits")
        .contains("likely causes").contains("vCPU quota");
    assertThat(proxy.requests("terminatejob")).hasSize(1);
  }

  @Test
  void pollingAsksAboutAtMostOneHundredLiveJobsPerCall() throws Exception {
    // given: 210 tasks in arrays of 2 → 105 live jobs
    ApiCallCounter calls = new ApiCallCounter();
    List<TaskRef> tasks = tasks("run-a6", "teacher", 210);

    // when
    try (AwsBatchExecutor executor = AwsBatchExecutor.builder()
        .setClient(AwsEmulator.clientsFor(proxy.endpoint()).withInterceptor(calls).batch())
        .setConfig(config().optArraySizeMax(2).build()).setStore(store).setTaskListKeys(this::taskListKey).optSleeper(this::recordSleep).build()) {
      Map<String, TaskOutcome> outcomes = executor.runAll(tasks, TaskListener.NONE);

      // then: 105 submissions, and each poll of 105 live jobs took two DescribeJobs calls
      assertThat(outcomes).hasSize(210);
      assertThat(calls.count("SubmitJob")).isEqualTo(105);
    }
    List<String> polls = proxy.requests("describejobs").stream().filter(body -> !body.contains(":0\"")).toList();
    List<String> measurements = proxy.requests("describejobs").stream().filter(body -> body.contains(":0\"")).toList();
    assertThat(polls).hasSize(2);
    // and the 210 children's attempts, read for the compute report, were asked about together, not per job
    assertThat(measurements).hasSizeBetween(3, 5);
    assertThat(proxy.requests("describejobs")).allSatisfy(body ->
        assertThat(body.split("\",\"|\\[\"").length - 1).isLessThanOrEqualTo(100));
  }

  @Test
  void cancellingTerminatesEachLiveJobOnceAndThePollIntervalBacksOffMeanwhile() throws Exception {
    // given: the emulator's jobs look RUNNING for as long as the test wants
    proxy.rewrite("describejobs", body -> body.replace("\"SUCCEEDED\"", "\"RUNNING\""));
    List<TaskRef> tasks = new ArrayList<>(tasks("run-a7", "teacher", 3));
    tasks.add(new TaskRef("run-a7", "adapt", "train", store.uri("runs/run-a7/tasks/adapt/train.json")));
    AwsBatchExecutor executor = executor(config().optPollInterval(FAST_POLL, FAST_POLL.multipliedBy(8)).build());
    List<String> started = new CopyOnWriteArrayList<>();
    CompletableFuture<Map<String, TaskOutcome>> running = CompletableFuture.supplyAsync(() -> {
      try {
        return executor.runAll(tasks, new TaskListener() {
          @Override public void started(TaskRef task) {
            started.add(task.taskId());
          }
        });
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> proxy.requests("describejobs").size() >= 5);

    // when
    executor.cancel("run-a7");
    executor.cancel("run-a7");

    // then: two jobs, two terminations
    assertThat(proxy.requests("terminatejob")).hasSize(2);
    proxy.rewrite("describejobs", null);
    Map<String, TaskOutcome> outcomes = running.get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(outcomes).hasSize(4);
    assertThat(started).hasSize(4);
    assertThat(sleeps).contains(FAST_POLL, FAST_POLL.multipliedBy(2), FAST_POLL.multipliedBy(4), FAST_POLL.multipliedBy(8));
    assertThat(sleeps).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(FAST_POLL.multipliedBy(8)));
    executor.close();
  }

  @Test
  void anotherProcessFindsARunsLiveJobsByNameAndTerminatesThemOnce() throws Exception {
    // given: a run whose jobs look RUNNING, orchestrated by one executor
    proxy.rewrite("describejobs", body -> body.replace("\"SUCCEEDED\"", "\"RUNNING\""));
    proxy.rewrite("listjobs", body -> body.replace("\"SUCCEEDED\"", "\"RUNNING\""));
    AwsBatchExecutor orchestrator = executor(config().build());
    CompletableFuture<Map<String, TaskOutcome>> running = CompletableFuture.supplyAsync(() -> {
      try {
        return orchestrator.runAll(tasks("run-a8", "render", 5), TaskListener.NONE);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> proxy.requests("describejobs").size() >= 2);

    // when: urae cancel, in effect: a fresh executor that never saw the run
    List<String> first;
    List<String> second;
    try (AwsBatchExecutor canceller = executor(config().build())) {
      first = canceller.terminateRun("run-a8");
      second = canceller.terminateRun("run-a8");
    }

    // then: the array job (not each child) was terminated, once
    assertThat(first).hasSize(1).allSatisfy(id -> assertThat(id).doesNotContain(":"));
    assertThat(second).isEmpty();
    assertThat(proxy.requests("terminatejob")).hasSize(1).first().asString().contains("cancelled by urae (run run-a8)");
    proxy.rewrite("describejobs", null);
    proxy.rewrite("listjobs", null);
    assertThat(running.get(20, java.util.concurrent.TimeUnit.SECONDS)).hasSize(5);
    orchestrator.close();
  }

  private JobDetail describeOnlySubmittedJob() {
    try (BatchClient batch = emulator.clients().batch()) {
      var parents = batch.listJobs(b -> b.jobQueue(batchEnv.jobQueue())).jobSummaryList().stream()
          .filter(j -> !j.jobId().contains(":")).toList();
      assertThat(parents).hasSize(1);
      return batch.describeJobs(b -> b.jobs(parents.get(0).jobId())).jobs().get(0);
    }
  }

  private AwsBatchConfig.Builder config() {
    return AwsBatchConfig.builder()
        .setJobQueue("default", batchEnv.jobQueue())
        .setJobDefinition("default", batchEnv.jobDefinition())
        .optPollInterval(FAST_POLL, FAST_POLL.multipliedBy(4));
  }

  private AwsBatchExecutor executor(AwsBatchConfig config) {
    return executorBuilder(config).build();
  }

  private AwsBatchExecutor.Builder executorBuilder(AwsBatchConfig config) {
    AwsClientFactory clients = AwsEmulator.clientsFor(proxy.endpoint());
    return AwsBatchExecutor.builder()
        .setClient(clients.batch())
        .setConfig(config)
        .setStore(store)
        .setTaskListKeys(this::taskListKey)
        .optRetry(new AwsRetry(5, Duration.ofMillis(5), Duration.ofMillis(40), null))
        .optSleeper(this::recordSleep);
  }

  private String taskListKey(String runId, String stage, String jobName) {
    return "runs/" + runId + "/batch/" + stage + "/" + jobName + ".tasks";
  }

  private void recordSleep(Duration duration) throws InterruptedException {
    if (duration.compareTo(Duration.ofMillis(10)) >= 0) sleeps.add(duration); // polls, not submission pacing
    Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
  }

  private List<TaskRef> tasks(String runId, String stage, int count) {
    List<TaskRef> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = String.format("shard-%05d", i);
      tasks.add(new TaskRef(runId, stage, id, store.uri("runs/" + runId + "/tasks/" + stage + "/" + id + ".json")));
    }
    return tasks;
  }
}
