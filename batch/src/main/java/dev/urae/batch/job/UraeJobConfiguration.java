package dev.urae.batch.job;

import dev.urae.batch.config.UraeProperties;
import dev.urae.batch.progress.StageProgress;
import dev.urae.infra.exec.TaskExecutor;
import dev.urae.infra.store.ObjectStore;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.builder.SimpleJobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code urae} job: ingest, then every {@link PipelineStage} bean in order, each as one
 * step. Completed steps are skipped on restart, so {@code urae resume} picks up at the stage
 * that failed, and inside it at the tasks without a valid marker.
 */
@Configuration(proxyBeanMethods = false)
public class UraeJobConfiguration {

  @Bean
  Supplier<StageProgress> stageProgress(UraeProperties properties) {
    Duration interval = Duration.ofSeconds(Math.max(1, properties.getProgressIntervalSeconds()));
    return () -> StageProgress.forConsole(interval);
  }

  @Bean
  Step ingestStep(JobRepository jobRepository, ObjectStore store, Supplier<StageProgress> progress) {
    return new StepBuilder(IngestTasklet.STEP, jobRepository)
        .tasklet(new IngestTasklet(store, progress))
        .build();
  }

  @Bean
  RunHistory runHistory(JobRepository jobRepository, ObjectStore store, List<PipelineStage> stages) {
    return new RunHistory(jobRepository, store, stages);
  }

  @Bean
  Job uraeJob(JobRepository jobRepository, Step ingestStep, List<PipelineStage> stages, ObjectStore store,
      TaskExecutor executor, UraeProperties properties, Supplier<StageProgress> progress, RunHistory history) {
    SimpleJobBuilder job = new JobBuilder(JobParams.JOB_NAME, jobRepository)
        .listener(new ProcessLease())
        .start(ingestStep);
    Set<String> names = new HashSet<>(Set.of(IngestTasklet.STEP));
    for (PipelineStage stage : stages.stream().sorted(Comparator.comparingInt(PipelineStage::order)).toList()) {
      if (!names.add(stage.name())) throw new IllegalStateException("two stages are named '" + stage.name() + "'");
      job.next(new StepBuilder(stage.name(), jobRepository)
          .tasklet(new StageTasklet(stage, store, executor, properties.getTaskRetries(), progress, history))
          .build());
    }
    return job.build();
  }
}
