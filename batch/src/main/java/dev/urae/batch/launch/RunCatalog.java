package dev.urae.batch.launch;

import dev.urae.batch.job.JobParams;
import dev.urae.batch.job.RunHistory;
import dev.urae.batch.run.RunStatus;
import dev.urae.batch.run.RunSummary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Service;

/**
 * Finds runs in the job repository for the entry points ({@code urae status}, {@code list},
 * {@code cancel}, {@code watch}), so that none of them queries the repository itself.
 */
@Service
public class RunCatalog {
  private final JobRepository jobRepository;
  private final RunHistory history;

  public RunCatalog(JobRepository jobRepository, RunHistory history) {
    this.jobRepository = jobRepository;
    this.history = history;
  }

  /** One line per run, newest first. */
  public List<RunSummary> list() {
    List<RunSummary> runs = new ArrayList<>();
    for (JobInstance instance : jobRepository.findJobInstances(JobParams.JOB_NAME)) {
      JobExecution last = jobRepository.getLastJobExecution(instance);
      if (last != null) runs.add(history.summary(last));
    }
    runs.sort(Comparator.comparing(RunSummary::started, Comparator.nullsLast(Comparator.reverseOrder())));
    return runs;
  }

  /** The newest run, if any. */
  public Optional<String> latestRunId() {
    return list().stream().findFirst().map(RunSummary::runId);
  }

  public RunStatus status(String runId) throws IOException {
    return history.status(runId);
  }

  /** Whether the job repository knows the run (it is registered once its job has been launched). */
  public boolean registered(String runId) {
    return jobRepository.getJobInstance(JobParams.JOB_NAME, JobParams.identifying(runId)) != null;
  }

  /**
   * The run's latest execution, empty when it was registered but never started.
   *
   * @throws IllegalArgumentException when there is no such run
   */
  public Optional<JobExecution> lastExecution(String runId) {
    JobInstance instance = jobRepository.getJobInstance(JobParams.JOB_NAME, JobParams.identifying(runId));
    if (instance == null) throw new IllegalArgumentException("no run " + runId + " (see urae list)");
    return Optional.ofNullable(jobRepository.getLastJobExecution(instance));
  }
}
