package dev.urae.batch.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.batch.UraeApplication;
import dev.urae.batch.launch.RunCatalog;
import dev.urae.batch.launch.RunService;
import dev.urae.batch.run.ComputeWait;
import dev.urae.batch.run.LaunchOutcome;
import dev.urae.batch.run.RunConfig;
import dev.urae.batch.run.RunLayout;
import dev.urae.batch.run.RunStatus;
import dev.urae.batch.task.TaskStore;
import dev.urae.infra.store.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The {@code urae} job on the embedded default, with a stage defined in test code. */
@SpringBatchTest
@SpringBootTest(classes = UraeApplication.class)
@ActiveProfiles("test-stages")
class UraeJobFunctionalTests {
  // Not a @TempDir: the cached Spring context keeps the H2 files open after the class ends.
  static final Path dataDir = Path.of("target", "functional-tests", java.util.UUID.randomUUID().toString()).toAbsolutePath();
  @TempDir Path manifests;

  @Autowired JobOperatorTestUtils jobOperatorTestUtils;
  @Autowired RunService runs;
  @Autowired RunCatalog catalog;
  @Autowired ObjectStore store;
  @Autowired JobRepository jobRepository;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("urae.data-dir", () -> dataDir.toString());
    registry.add("urae.shard-size", () -> "2");
    registry.add("urae.task-retries", () -> "1");
    registry.add("urae.parallelism", () -> "2");
  }

  private Path manifest(String name, int items) throws IOException {
    String lines = IntStream.range(0, items)
        .mapToObj(i -> "{\"prompt\":\"prompt " + i + " of " + name + "\",\"id\":\"" + name + "-" + i + "\"}")
        .collect(Collectors.joining("\n"));
    return Files.writeString(manifests.resolve(name + ".jsonl"), lines + "\n");
  }

  private static long writeCount(JobExecution execution, String stepName) {
    return execution.getStepExecutions().stream().filter(s -> s.getStepName().equals(stepName))
        .mapToLong(StepExecution::getWriteCount).sum();
  }

  @Test
  void runsIngestAndEveryStageToCompletion() throws Exception {
    // given
    Path manifest = manifest("complete", 5);
    RunConfig config = RunConfig.builder().set("shard-size", 2).set("max-rejects", 0).set("width", 64)
        .set("height", 64).build();
    // when
    JobExecution execution = jobOperatorTestUtils.startJob(JobParams.of("complete0000001", manifest.toString(), config));
    // then
    assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(writeCount(execution, "ingest")).isEqualTo(5);
    RunLayout layout = new RunLayout("complete0000001");
    assertThat(store.list(layout.root() + "input/shard-")).hasSize(3);
    assertThat(new String(store.get(WorkHandler.output("complete0000001", "shard-00002")).readAllBytes(),
        StandardCharsets.UTF_8)).isEqualTo("complete-4");
    assertThat(store.list(layout.tasks(WorkStage.NAME)).stream().filter(o -> o.key().endsWith(".done"))).hasSize(3);
  }

  @Test
  void sameManifestAndConfigurationIsOneRun() throws Exception {
    // given
    Path manifest = manifest("twice", 3);
    LaunchOutcome first = runs.launch(manifest.toString(), false, id -> {});
    // when
    LaunchOutcome second = runs.launch(manifest.toString(), false, id -> {});
    LaunchOutcome forced = runs.launch(manifest.toString(), true, id -> {});
    // then
    assertThat(first.started()).isTrue();
    assertThat(first.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(second.started()).isFalse();
    assertThat(second.runId()).isEqualTo(first.runId());
    assertThat(second.message()).contains("already covers this manifest", first.runId());
    assertThat(forced.started()).isTrue();
    assertThat(forced.runId()).isNotEqualTo(first.runId());
    assertThat(WorkHandler.executions(store, first.runId(), "shard-00000")).isEqualTo(1);
  }

  @Test
  void failedTaskFailsTheStageWithItsOwnMessageAndResumeRunsOnlyWhatIsLeft() throws Exception {
    // given: one of three shards fails every attempt
    Path manifest = manifest("flaky", 6);
    store.put(WorkHandler.failControl("shard-00001"), new byte[0]);
    // when
    LaunchOutcome failed = runs.launch(manifest.toString(), false, id -> {});
    // then
    assertThat(failed.status()).isEqualTo(BatchStatus.FAILED);
    assertThat(failed.message()).contains("at stage work", "1 of 3 tasks failed after 2 attempts",
        "shard-00001: item in shard-00001 failed: injected failure", "urae resume " + failed.runId());
    RunStatus status = catalog.status(failed.runId());
    RunStatus.Stage work = status.stages().get(1);
    assertThat(work.name()).isEqualTo("work");
    assertThat(work.status()).isEqualTo("FAILED");
    assertThat(work.done()).isEqualTo(2);
    assertThat(work.failed()).isEqualTo(1);
    assertThat(work.failure()).contains("injected failure");
    assertThat(WorkHandler.executions(store, failed.runId(), "shard-00001")).isEqualTo(2);

    // when the cause is fixed and the run resumed
    store.delete(WorkHandler.failControl("shard-00001"));
    LaunchOutcome resumed = runs.resume(failed.runId(), id -> {});

    // then only the failed task ran again
    assertThat(resumed.status()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(WorkHandler.executions(store, failed.runId(), "shard-00000")).isEqualTo(1);
    assertThat(WorkHandler.executions(store, failed.runId(), "shard-00002")).isEqualTo(1);
    assertThat(WorkHandler.executions(store, failed.runId(), "shard-00001")).isEqualTo(3);
    assertThat(catalog.status(failed.runId()).stages().get(1).failed()).isZero();
  }

  @Test
  void aFailureARetryCannotChangeFailsTheStageAtOnceWithItsMessage() throws Exception {
    // given: one of two shards fails permanently, the other passes
    Path manifest = manifest("refused", 4);
    store.put(WorkHandler.refuseControl("shard-00000"), new byte[0]);
    try {
      // when
      LaunchOutcome failed = runs.launch(manifest.toString(), false, id -> {});

      // then it ran once, and the stage says why and that it was not retried
      assertThat(failed.status()).isEqualTo(BatchStatus.FAILED);
      assertThat(failed.message()).contains("at stage work", "1 of 2 tasks failed in a way a retry cannot change (not retried)",
          "shard-00000: every item of shard-00000 was refused: injected refusal").doesNotContain("attempts", "urae resume");
      assertThat(WorkHandler.executions(store, failed.runId(), "shard-00000")).isEqualTo(1);
      assertThat(catalog.status(failed.runId()).stages().get(1).failure()).contains("injected refusal");
    } finally {
      store.delete(WorkHandler.refuseControl("shard-00000"));
    }
  }

  @Test
  void tooManyRejectsStopAtIngestBeforeAnyTaskWithTheListOfRejects() throws Exception {
    // given
    Path manifest = Files.writeString(manifests.resolve("bad.jsonl"),
        "{\"prompt\":\"fine\"}\n{\"promt\":\"typo\"}\n\n{\"prompt\":\"also fine\",\"seed\":-3}\n");
    // when
    LaunchOutcome outcome = runs.launch(manifest.toString(), false, id -> {});
    // then
    assertThat(outcome.status()).isEqualTo(BatchStatus.FAILED);
    assertThat(outcome.message()).contains("at stage ingest", "2 lines were rejected, more than --max-rejects 0",
        "rejects.jsonl");
    RunLayout layout = new RunLayout(outcome.runId());
    String rejects = new String(store.get(layout.rejects()).readAllBytes(), StandardCharsets.UTF_8);
    assertThat(rejects.lines().toList()).containsExactly(
        "{\"line\":2,\"reason\":\"unknown field 'promt' (known: prompt, id, generated_prompt, seed, width, height, tags)\"}",
        "{\"line\":4,\"reason\":\"'seed' must be from 0 to 2^63-1, got -3\"}");
    assertThat(store.list(layout.tasks(WorkStage.NAME))).isEmpty();
  }

  @Test
  void aRenderManifestIsIngestedBesideTheManifestAndItsRejectsCount() throws Exception {
    // given
    Path manifest = manifest("with-render", 2);
    Path renderManifest = Files.writeString(manifests.resolve("render.jsonl"), "{\"prompt\":\"ok\"}\n{\"prompt\":5}\n");
    // when
    LaunchOutcome outcome = runs.launch(manifest.toString(), renderManifest.toString(), false, id -> {});
    // then
    assertThat(outcome.status()).isEqualTo(BatchStatus.FAILED);
    assertThat(outcome.message()).contains("1 line was rejected", "render-rejects.jsonl");
    RunLayout layout = new RunLayout(outcome.runId());
    assertThat(store.exists(layout.shard(RunLayout.RENDER_SET, 0))).isTrue();
    assertThat(outcome.runId()).isNotEqualTo(runs.launch(manifest.toString(), false, id -> {}).runId());
  }

  @Test
  void statusShowsAStagesWaitForComputeOnlyWhileTheStageRuns() throws Exception {
    // given: a run whose stage failed, and a wait record a killed orchestrator left behind
    Path manifest = manifest("waiting", 2);
    store.put(WorkHandler.failControl("shard-00000"), new byte[0]);
    LaunchOutcome failed = runs.launch(manifest.toString(), false, id -> {});
    store.delete(WorkHandler.failControl("shard-00000"));
    String reason = "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - Service cannot fulfill the capacity requested for instance type [g6e.2xlarge]";
    new TaskStore(store).writeComputeWait(failed.runId(), "work",
        new ComputeWait(1, reason, java.time.Instant.parse("2026-11-26T15:20:03Z")));
    // then a stage that is not running is not waiting
    assertThat(catalog.status(failed.runId()).stages().get(1).waiting()).isNull();

    // when the stage runs again (as a resume in another process would) while its job waits
    JobInstance instance = jobRepository.getJobInstance(JobParams.JOB_NAME, JobParams.identifying(failed.runId()));
    JobExecution last = jobRepository.getLastJobExecution(instance);
    JobExecution running = jobRepository.createJobExecution(instance, last.getJobParameters(), new ExecutionContext());
    StepExecution step = jobRepository.createStepExecution("work", running);
    step.setStatus(BatchStatus.STARTED);
    jobRepository.update(step);
    try {
      // then urae status shows the wait and Batch's reason
      RunStatus.Stage work = catalog.status(failed.runId()).stages().get(1);
      assertThat(work.status()).isEqualTo("STARTED");
      assertThat(work.waiting()).isNotNull();
      assertThat(work.waiting().describe()).isEqualTo("1 task(s) waiting for compute since 2026-11-26T15:20:03Z: " + reason);
    } finally {
      step.setStatus(BatchStatus.FAILED);
      step.setEndTime(java.time.LocalDateTime.now());
      jobRepository.update(step);
      running.setStatus(BatchStatus.FAILED);
      running.setEndTime(java.time.LocalDateTime.now());
      jobRepository.update(running);
    }
  }

  @Test
  void listShowsRunsNewestFirst() throws Exception {
    // given
    LaunchOutcome older = runs.launch(manifest("older", 1).toString(), false, id -> {});
    Thread.sleep(20);
    LaunchOutcome newer = runs.launch(manifest("newer", 1).toString(), false, id -> {});
    // when
    List<String> ids = catalog.list().stream().map(r -> r.runId()).toList();
    // then
    assertThat(ids).containsSubsequence(newer.runId(), older.runId());
  }
}
