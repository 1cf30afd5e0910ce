package dev.urae.batch.launch;

import dev.urae.batch.config.UraeProperties;
import dev.urae.batch.job.JobParams;
import dev.urae.batch.job.ProcessLease;
import dev.urae.batch.job.RunHistory;
import dev.urae.batch.manifest.ItemDefaults;
import dev.urae.batch.manifest.ManifestSnapshot;
import dev.urae.batch.manifest.ManifestSource;
import dev.urae.batch.run.LaunchOutcome;
import dev.urae.batch.run.Locations;
import dev.urae.batch.run.RunConfig;
import dev.urae.batch.run.RunIdentity;
import dev.urae.batch.run.RunLayout;
import dev.urae.batch.stages.BaseModels;
import dev.urae.batch.stages.PipelineOptions;
import dev.urae.batch.stages.StageMemoryCheck;
import dev.urae.infra.store.ObjectStore;
import dev.urae.model.base.BaseModelProvider;
import java.io.IOException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Service;

/**
 * Starts and resumes runs of the {@code urae} job. A run's identity is a digest of its manifest
 * and configuration, so launching what an existing run already covers starts nothing and says
 * which run that is; executions left behind by a killed process are recognised and resumed.
 */
@Service
public class RunService {
  private final JobOperator jobOperator;
  private final JobRepository jobRepository;
  private final Job job;
  private final ObjectStore store;
  private final UraeProperties properties;

  public RunService(JobOperator jobOperator, JobRepository jobRepository, Job uraeJob, ObjectStore store,
      UraeProperties properties) {
    this.jobOperator = jobOperator;
    this.jobRepository = jobRepository;
    this.job = uraeJob;
    this.store = store;
    this.properties = properties;
  }

  /**
   * Runs the manifest named {@code manifest} with the current configuration.
   *
   * @param onRunId hears the run id before any work starts
   */
  public LaunchOutcome launch(String manifest, boolean rerun, Consumer<String> onRunId) throws Exception {
    return launch(manifest, null, rerun, onRunId);
  }

  /**
   * Runs a manifest, with {@code renderManifest} (may be null) naming prompts that are only
   * rendered; both manifests' bytes are part of the run's identity.
   */
  public LaunchOutcome launch(String manifest, String renderManifest, boolean rerun, Consumer<String> onRunId)
      throws Exception {
    return launch(ManifestSource.of(manifest), renderManifest == null ? null : ManifestSource.of(renderManifest),
        rerun, onRunId);
  }

  /**
   * Runs a manifest source (for example one version of an upload). Each manifest is read once:
   * its digest makes the run's identity and the same bytes become the run's copy
   * ({@link RunLayout#manifestCopy}), which ingest scans; the source is not read again.
   */
  public LaunchOutcome launch(ManifestSource source, ManifestSource renderSource, boolean rerun, Consumer<String> onRunId)
      throws Exception {
    RunConfig options = RunConfigFactory.from(properties);
    String model = options.get(PipelineOptions.MODEL);
    String from = options.get(PipelineOptions.ADAPT_FROM_ADAPTER).strip();
    try (LaunchModel launchModel = LaunchModel.of(model, options.get(BaseModels.WEIGHTS));
        PriorAdapterSnapshot prior = from.equals("none") ? null : PriorAdapterSnapshot.take(from, store);
        ManifestSnapshot main = ManifestSnapshot.take(source);
        ManifestSnapshot render = renderSource == null ? null : ManifestSnapshot.take(renderSource)) {
      // What the model cannot take is refused now, before the run id and any task; an s3:// model from its configs and headers.
      // The tasks of aws-batch run on GPUs (bf16); local ones in this process, planned as on its CPU (fp32).
      launchModel.check(() -> {
        StageMemoryCheck.requireAtLaunch(launchModel.readableOptions(options.options()), options.intValue(RunConfig.WIDTH),
            options.intValue(RunConfig.HEIGHT), !properties.getExecutor().equals("local"));
        return null;
      });
      BaseModelProvider provider = launchModel.provider();
      ModelFit.check(model, provider, properties.getPipeline(),
          new ItemDefaults(options.intValue(RunConfig.WIDTH), options.intValue(RunConfig.HEIGHT)), render == null ? List.of(main) : List.of(main, render));
      RunConfig config = prior == null ? options
          : RunConfig.builder().setAll(options.options()).set(PriorAdapterSnapshot.SHA256, prior.sha256()).build();
      String digest = main.sha256() + (render == null ? "" : "+render:" + render.sha256());
      String runId = RunIdentity.runId(digest, config, rerun ? UUID.randomUUID().toString() : null);
      onRunId.accept(runId);

      JobInstance existing = jobRepository.getJobInstance(JobParams.JOB_NAME, JobParams.identifying(runId));
      if (existing != null) {
        JobExecution last = jobRepository.getLastJobExecution(existing);
        if (last != null) {
          LaunchOutcome covered = alreadyCovered(runId, last);
          if (covered != null) return covered;
        }
      }
      RunLayout layout = new RunLayout(runId);
      keepCopy(layout, RunLayout.MAIN_SET, main);
      if (render != null) keepCopy(layout, RunLayout.RENDER_SET, render);
      if (prior != null) prior.keepCopy(store, layout);
      try {
        JobExecution execution = jobOperator.start(job,
            JobParams.of(runId, source.name(), renderSource == null ? null : renderSource.name(), config));
        return finished(runId, execution);
      } catch (JobExecutionAlreadyRunningException e) {
        return new LaunchOutcome(runId, false, BatchStatus.STARTED,
            "run " + runId + " already covers this manifest and configuration and is running");
      } catch (JobInstanceAlreadyCompleteException e) {
        return new LaunchOutcome(runId, false, BatchStatus.COMPLETED,
            "run " + runId + " already covers this manifest and configuration (completed); use --rerun to run it again");
      }
    }
  }

  // The copy's content is fixed by the run id (its digest), so an existing copy is this one.
  private void keepCopy(RunLayout layout, String set, ManifestSnapshot snapshot) throws IOException {
    String key = layout.manifestCopy(set, snapshot.source().format().extension());
    if (!store.exists(key)) store.putFile(key, snapshot.file());
  }

  /** Restarts a failed or interrupted run where it stopped. */
  public LaunchOutcome resume(String runId, Consumer<String> onRunId) throws Exception {
    JobInstance instance = jobRepository.getJobInstance(JobParams.JOB_NAME, JobParams.identifying(runId));
    if (instance == null) throw new IllegalArgumentException("no run " + runId + " (see urae list)");
    JobExecution last = jobRepository.getLastJobExecution(instance);
    if (last == null) throw new IllegalStateException("run " + runId + " has no execution to resume");
    onRunId.accept(runId);
    if (last.getStatus() == BatchStatus.COMPLETED) {
      return new LaunchOutcome(runId, false, BatchStatus.COMPLETED, "run " + runId + " already completed; nothing to resume");
    }
    if (last.isRunning()) {
      if (!ProcessLease.ownerIsGone(last)) {
        return new LaunchOutcome(runId, false, last.getStatus(),
            "run " + runId + " is still running (" + ProcessLease.owner(last) + "); follow it with urae status " + runId);
      }
      markInterrupted(last);
    }
    return finished(runId, jobOperator.restart(last));
  }

  private LaunchOutcome alreadyCovered(String runId, JobExecution last) {
    if (last.getStatus() == BatchStatus.COMPLETED) {
      return new LaunchOutcome(runId, false, BatchStatus.COMPLETED,
          "run " + runId + " already covers this manifest and configuration (completed "
              + last.getEndTime() + "); results in " + runFolder(runId) + "; use --rerun to force a new run");
    }
    if (last.isRunning() && !ProcessLease.ownerIsGone(last)) {
      return new LaunchOutcome(runId, false, last.getStatus(),
          "run " + runId + " already covers this manifest and configuration and is running ("
              + ProcessLease.owner(last) + "); follow it with urae status " + runId);
    }
    return new LaunchOutcome(runId, false, last.isRunning() ? BatchStatus.FAILED : last.getStatus(),
        "run " + runId + " already covers this manifest and configuration but did not finish ("
            + (last.isRunning() ? "its process is gone" : last.getStatus().toString().toLowerCase())
            + "); continue it with urae resume " + runId + ", or start over with --rerun");
  }

  private LaunchOutcome finished(String runId, JobExecution execution) {
    BatchStatus status = execution.getStatus();
    if (status == BatchStatus.COMPLETED) {
      String report = new RunLayout(runId).reportPage();
      String reportLine = exists(report) ? "\nreport: " + Locations.display(store.uri(report)) : "";
      return new LaunchOutcome(runId, true, status,
          "run " + runId + " completed; results in " + runFolder(runId) + reportLine);
    }
    String failure = RunHistory.failureOf(execution);
    String next = RunHistory.resumable(execution) ? "; fix the cause, then urae resume " + runId : "";
    return new LaunchOutcome(runId, true, status, "run " + runId + " " + status.toString().toLowerCase()
        + (failure.isEmpty() ? "" : " " + failure) + next);
  }

  /** Marks an execution whose process is gone as failed, so that it can be restarted. */
  private void markInterrupted(JobExecution execution) {
    String reason = "interrupted: the process running it (" + ProcessLease.owner(execution) + ") is gone";
    LocalDateTime now = LocalDateTime.now();
    for (StepExecution step : execution.getStepExecutions()) {
      if (step.getStatus().isRunning()) {
        step.setStatus(BatchStatus.FAILED);
        step.setExitStatus(ExitStatus.FAILED.addExitDescription(reason));
        step.setEndTime(now);
        jobRepository.update(step);
      }
    }
    execution.setStatus(BatchStatus.FAILED);
    execution.setExitStatus(ExitStatus.FAILED.addExitDescription(reason));
    execution.setEndTime(now);
    jobRepository.update(execution);
  }

  private boolean exists(String key) {
    try {
      return store.exists(key);
    } catch (IOException e) {
      return false;
    }
  }

  /** Where a run's results are, for messages (a folder or an s3:// prefix). */
  public String runFolder(String runId) {
    return Locations.display(store.uri(new RunLayout(runId).root()));
  }

}
