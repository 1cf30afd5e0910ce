package dev.urae.batch.job;

import dev.urae.batch.run.ComputeWait;
import dev.urae.batch.run.RunLayout;
import dev.urae.batch.run.RunStatus;
import dev.urae.batch.run.RunSummary;
import dev.urae.batch.task.TaskStore;
import dev.urae.infra.store.ObjectInfo;
import dev.urae.infra.store.ObjectStore;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * What the record of a run says: its stages' step status and task counts, read from the job
 * repository and the store. Serves {@code urae status} and the report stage's planner.
 */
public final class RunHistory {
  private final JobRepository jobRepository;
  private final ObjectStore store;
  private final List<String> stageNames;

  public RunHistory(JobRepository jobRepository, ObjectStore store, List<PipelineStage> stages) {
    this.jobRepository = jobRepository;
    this.store = store;
    List<String> names = new ArrayList<>(List.of(IngestTasklet.STEP));
    stages.stream().sorted(Comparator.comparingInt(PipelineStage::order)).map(PipelineStage::name).forEach(names::add);
    this.stageNames = List.copyOf(names);
  }

  /** Every stage of the run, or an error naming the run when there is none. */
  public RunStatus status(String runId) throws IOException {
    JobInstance instance = jobRepository.getJobInstance(JobParams.JOB_NAME, JobParams.identifying(runId));
    if (instance == null) throw new IllegalArgumentException("no run " + runId + " (see urae list)");
    List<JobExecution> executions = jobRepository.getJobExecutions(instance);
    JobExecution last = jobRepository.getLastJobExecution(instance);
    TaskStore tasks = new TaskStore(store);
    List<RunStatus.Stage> stages = new ArrayList<>();
    for (String name : stageNames) {
      StepExecution step = lastStep(executions, name);
      stages.add(stage(runId, name, step, tasks));
    }
    return new RunStatus(summary(last), executions.size(), stages);
  }

  private RunStatus.Stage stage(String runId, String name, StepExecution step, TaskStore tasks) throws IOException {
    long total = 0;
    long done = 0;
    long failed = 0;
    String failure = "";
    if (!name.equals(IngestTasklet.STEP)) {
      // Count from the store: it is the truth even while the stage runs in another process.
      RunLayout layout = new RunLayout(runId);
      List<String> failedIds = new ArrayList<>();
      for (ObjectInfo object : store.list(layout.tasks(name))) {
        Optional<RunLayout.TaskFileKey> file = layout.taskFile(name, object.key());
        if (file.isEmpty()) continue;
        switch (file.get().kind()) {
          case ERROR -> {
            failed++;
            failedIds.add(file.get().taskId());
          }
          case MARKER -> done++;
          case SPEC -> total++;
          case PERMANENT_FAILURE -> { } // not a task of its own: the stage records the failure as an error too
        }
      }
      if (step != null) total = Math.max(total, step.getExecutionContext().getLong(StageTasklet.TOTAL, total));
      List<String> reasons = new ArrayList<>();
      for (String id : failedIds.subList(0, Math.min(3, failedIds.size()))) {
        tasks.readError(runId, name, id).ifPresent(reason -> reasons.add(id + ": " + reason));
      }
      if (!reasons.isEmpty()) failure = String.join("; ", reasons);
    } else if (step != null) {
      total = step.getExecutionContext().getLong(StageTasklet.TOTAL, 0);
      done = step.getExecutionContext().getLong(StageTasklet.DONE, 0);
    }
    if (step == null) return new RunStatus.Stage(name, "PENDING", total, done, failed, null, null, failure, null);
    ExecutionContext context = step.getExecutionContext();
    if (context.containsKey(StageTasklet.FAILURE)) failure = context.getString(StageTasklet.FAILURE);
    else if (step.getStatus().isUnsuccessful() && failure.isEmpty()) failure = step.getExitStatus().getExitDescription().lines().findFirst().orElse("");
    // A wait for compute is news only while the stage runs (a record left by a killed process is not).
    ComputeWait waiting = step.getStatus() == BatchStatus.STARTED && !name.equals(IngestTasklet.STEP)
        ? tasks.readComputeWait(runId, name).orElse(null) : null;
    return new RunStatus.Stage(name, step.getStatus().toString(), total, done, failed,
        step.getStartTime(), duration(step.getStartTime(), step.getEndTime()), failure, waiting);
  }

  private static StepExecution lastStep(List<JobExecution> executions, String name) {
    StepExecution last = null;
    for (JobExecution execution : executions) {
      for (StepExecution step : execution.getStepExecutions()) {
        if (step.getStepName().equals(name) && (last == null || step.getId() > last.getId())) last = step;
      }
    }
    return last;
  }

  /** One line for a run: its last execution's status, manifest, timings and failure. */
  public RunSummary summary(JobExecution last) {
    String runId = JobParams.runId(last.getJobParameters());
    String status = last.getStatus().toString();
    if (last.isRunning() && ProcessLease.ownerIsGone(last)) status = "INTERRUPTED";
    return new RunSummary(runId, status, JobParams.manifest(last.getJobParameters()),
        last.getStartTime(), duration(last.getStartTime(), last.getEndTime()), failureOf(last),
        JobParams.config(last.getJobParameters()));
  }

  /** The first failing stage and its reason, e.g. {@code at stage teacher: 2 of 16 tasks failed...}. */
  public static String failureOf(JobExecution execution) {
    for (StepExecution step : execution.getStepExecutions()) {
      if (step.getStatus().isUnsuccessful()) {
        String reason = step.getExecutionContext().containsKey(StageTasklet.FAILURE)
            ? step.getExecutionContext().getString(StageTasklet.FAILURE)
            : step.getExitStatus().getExitDescription().lines().findFirst().orElse("");
        return "at stage " + step.getStepName() + (reason.isEmpty() ? "" : ": " + reason);
      }
    }
    String description = execution.getExitStatus().getExitDescription();
    return description == null ? "" : description.lines().findFirst().orElse("");
  }

  /**
   * Whether {@code urae resume} could get a failed execution further: not when it stopped at
   * ingest (too many rejects need a new manifest or --max-rejects) or on a failure a retry would
   * only repeat (fixing it means a new manifest or configuration, that is a new run).
   */
  public static boolean resumable(JobExecution execution) {
    for (StepExecution step : execution.getStepExecutions()) {
      if (!step.getStatus().isUnsuccessful()) continue;
      return !step.getStepName().equals(IngestTasklet.STEP) && !step.getExecutionContext().containsKey(StageTasklet.PERMANENT);
    }
    return true;
  }

  private static Duration duration(LocalDateTime start, LocalDateTime end) {
    if (start == null) return null;
    return Duration.between(start, end != null ? end : LocalDateTime.now());
  }
}
