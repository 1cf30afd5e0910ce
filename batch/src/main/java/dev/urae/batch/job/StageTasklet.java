package dev.urae.batch.job;

import dev.urae.batch.ingest.Ingest;
import dev.urae.batch.ingest.IngestSummary;
import dev.urae.batch.progress.StageProgress;
import dev.urae.batch.run.RunConfig;
import dev.urae.batch.run.RunLayout;
import dev.urae.batch.task.TaskSpec;
import dev.urae.batch.task.TaskStore;
import dev.urae.infra.exec.JobCompute;
import dev.urae.infra.exec.TaskExecutor;
import dev.urae.infra.exec.TaskListener;
import dev.urae.infra.exec.TaskOutcome;
import dev.urae.infra.exec.TaskRef;
import dev.urae.infra.store.ObjectStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.core.scope.context.ChunkContext;

/**
 * Runs one stage: plans its tasks, writes their specs, skips those that already left a valid
 * completion marker, hands the rest to the executor and retries failures up to the configured
 * limit, unless a task failed in a way the worker recorded as permanent (a retry would only repeat
 * it, and the stage cannot succeed). The step completes only when every task has a valid marker
 * and the stage's {@link PipelineStage#conclude} accepts the outputs; otherwise it fails with the
 * tasks' own error messages, which {@code urae status} shows.
 */
public final class StageTasklet implements Tasklet {
  private static final Logger LOG = LoggerFactory.getLogger(StageTasklet.class);
  /** Step execution context keys read by {@code urae status}. */
  public static final String TOTAL = "tasks.total";
  public static final String REUSED = "tasks.reused";
  public static final String DONE = "tasks.done";
  public static final String FAILED = "tasks.failed";
  public static final String FAILURE = "stage.failure";
  /** Set when the stage failed in a way a resume would only repeat (a permanent task failure, outputs that cannot serve). */
  public static final String PERMANENT = "stage.permanent";
  private static final int REASONS_SHOWN = 5;

  private final PipelineStage stage;
  private final ObjectStore store;
  private final TaskExecutor executor;
  private final int retries;
  private final Supplier<StageProgress> progress;
  private final RunHistory history;

  public StageTasklet(PipelineStage stage, ObjectStore store, TaskExecutor executor, int retries,
      Supplier<StageProgress> progress, RunHistory history) {
    this.stage = stage;
    this.store = store;
    this.executor = executor;
    this.retries = retries;
    this.progress = progress;
    this.history = history;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
    StepExecution step = contribution.getStepExecution();
    ExecutionContext counts = step.getExecutionContext();
    JobParameters parameters = step.getJobParameters();
    String runId = JobParams.runId(parameters);
    RunLayout layout = new RunLayout(runId);
    RunConfig config = JobParams.config(parameters);
    IngestSummary ingest = Ingest.readSummary(store, layout);
    if (ingest == null) throw new IllegalStateException("stage " + stage.name() + " needs ingest's output, and there is none for run " + runId);
    RunContext run = new RunContext(runId, layout, store, config, ingest.shards(), ingest.accepted(),
        history.status(runId).stages());

    TaskStore tasks = new TaskStore(store);
    List<TaskSpec> specs = stage.plan(run);
    Map<String, TaskRef> pending = new LinkedHashMap<>();
    for (TaskSpec spec : specs) {
      if (tasks.validMarker(runId, stage.name(), spec.taskId()).isPresent()) continue;
      tasks.writeSpec(spec);
      pending.put(spec.taskId(), new TaskRef(runId, stage.name(), spec.taskId(),
          store.uri(layout.taskSpec(stage.name(), spec.taskId()))));
    }
    long total = specs.size();
    long reused = total - pending.size();
    counts.putLong(TOTAL, total);
    counts.putLong(REUSED, reused);
    StageProgress bar = progress.get();
    bar.start(stage.name(), total, reused);

    AtomicLong done = new AtomicLong(reused);
    Map<String, String> failures = new LinkedHashMap<>();
    // Failures a retry cannot change: once there is one the stage cannot succeed, so nothing is retried.
    Map<String, String> permanent = new LinkedHashMap<>();
    int attempts = 0;
    for (int attempt = 1; attempt <= retries + 1 && !pending.isEmpty() && permanent.isEmpty(); attempt++) {
      attempts = attempt;
      failures.clear();
      long failedSoFar = 0;
      Map<String, TaskOutcome> outcomes;
      try (ComputeWaitRecorder waits = new ComputeWaitRecorder(tasks, runId, stage.name(), Clock.systemUTC())) {
        outcomes = executor.runAll(new ArrayList<>(pending.values()), new TaskListener() {
          @Override
          public void started(TaskRef task) {
            waits.started();
          }

          @Override
          public void ended(TaskOutcome outcome) {
            if (outcome.succeeded()) bar.update(done.incrementAndGet(), failedSoFar);
          }

          @Override
          public void waiting(List<TaskRef> waiting, String reason) {
            bar.note("[" + stage.name() + "] " + waiting.size() + " task(s) waiting for compute"
                + (reason == null || reason.isBlank() ? "" : ": " + reason));
            waits.waiting(waiting.size(), reason);
          }

          @Override
          public void measured(JobCompute job) {
            try {
              tasks.writeJobCompute(runId, stage.name(), job);
            } catch (java.io.IOException e) {
              // only the report's compute figures are missing then; the stage's work is not
              LOG.warn("could not record the compute of job {} of stage {}: {}", job.jobId(), stage.name(), e.getMessage());
            }
          }
        });
      }
      List<TaskRef> claimed = outcomes.values().stream().filter(TaskOutcome::succeeded).map(TaskOutcome::task).toList();
      Map<String, String> unfinished = claimed.isEmpty() ? Map.of() : tasks.completionCheck().unfinished(claimed);
      for (TaskOutcome outcome : outcomes.values()) {
        String taskId = outcome.task().taskId();
        String problem = outcome.succeeded()
            ? (unfinished.containsKey(taskId) ? "the executor reported success but " + unfinished.get(taskId) : null)
            : outcome.reason();
        if (problem == null) {
          pending.remove(taskId);
          continue;
        }
        if (outcome.succeeded()) done.decrementAndGet();
        String cannotChange = outcome.succeeded() ? null : tasks.readPermanentFailure(runId, stage.name(), taskId).orElse(null);
        if (cannotChange != null) {
          problem = cannotChange;
          pending.remove(taskId);
          permanent.put(taskId, problem);
        } else {
          failures.put(taskId, problem);
        }
        tasks.writeError(runId, stage.name(), taskId, attempt, problem);
      }
      counts.putLong(DONE, done.get());
      counts.putLong(FAILED, failures.size() + permanent.size());
    }
    String failure = failures.isEmpty() && permanent.isEmpty() ? null : describe(permanent, failures, total, attempts);
    boolean repeats = !permanent.isEmpty();
    String conclusion = null;
    if (failure == null) {
      try {
        conclusion = stage.conclude(run);
      } catch (StageFailedException e) {
        failure = e.getMessage();
        repeats = true;
      }
    }
    bar.finish(done.get(), failures.size() + permanent.size(), failure == null);
    if (failure != null) {
      counts.putString(FAILURE, failure);
      if (repeats) counts.put(PERMANENT, true);
      throw new StageFailedException(failure);
    }
    if (conclusion != null) bar.say(conclusion);
    return RepeatStatus.FINISHED;
  }

  private static String describe(Map<String, String> permanent, Map<String, String> failures, long total, int attempts) {
    StringBuilder text = new StringBuilder();
    if (!permanent.isEmpty()) {
      text.append(count(permanent.size(), total)).append(" failed in a way a retry cannot change (not retried)");
      reasons(text, permanent);
    }
    if (!failures.isEmpty()) {
      if (!text.isEmpty()) text.append("; ");
      text.append(count(failures.size(), total)).append(" failed after ").append(attempts).append(" attempt").append(attempts == 1 ? "" : "s");
      reasons(text, failures);
    }
    return text.toString();
  }

  private static String count(int failed, long total) {
    return failed + " of " + total + " task" + (total == 1 ? "" : "s");
  }

  private static void reasons(StringBuilder text, Map<String, String> failures) {
    failures.entrySet().stream().limit(REASONS_SHOWN).forEach(
        f -> text.append("; ").append(f.getKey()).append(": ").append(f.getValue()));
    if (failures.size() > REASONS_SHOWN) text.append("; and ").append(failures.size() - REASONS_SHOWN).append(" more");
  }
}
