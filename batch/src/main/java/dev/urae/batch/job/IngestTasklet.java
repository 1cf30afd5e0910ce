package dev.urae.batch.job;

import dev.urae.batch.ingest.Ingest;
import dev.urae.batch.ingest.IngestSummary;
import dev.urae.batch.manifest.ItemDefaults;
import dev.urae.batch.manifest.ManifestSource;
import dev.urae.batch.progress.StageProgress;
import dev.urae.batch.run.RunConfig;
import dev.urae.batch.run.RunLayout;
import dev.urae.infra.store.ObjectStore;
import java.util.function.Supplier;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The ingest step. It streams the manifest once into the store (copy, shards, rejects,
 * summary) and stops the run, before any task starts, when more lines were rejected than
 * {@code max-rejects} allows. A finished ingest (its summary exists) is not repeated.
 */
public final class IngestTasklet implements Tasklet {
  public static final String STEP = "ingest";

  private final ObjectStore store;
  private final Supplier<StageProgress> progress;

  public IngestTasklet(ObjectStore store, Supplier<StageProgress> progress) {
    this.store = store;
    this.progress = progress;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
    StepExecution step = contribution.getStepExecution();
    String runId = JobParams.runId(step.getJobParameters());
    RunConfig config = JobParams.config(step.getJobParameters());
    RunLayout layout = new RunLayout(runId);
    StageProgress bar = progress.get();

    IngestSummary summary = ingest(store, layout, config, RunLayout.MAIN_SET, JobParams.manifest(step.getJobParameters()), bar);
    String renderManifest = JobParams.renderManifest(step.getJobParameters());
    IngestSummary render = renderManifest == null
        ? null
        : ingest(store, layout, config, RunLayout.RENDER_SET, renderManifest, bar);
    step.getExecutionContext().putLong(StageTasklet.TOTAL, summary.shards().size());
    step.getExecutionContext().putLong(StageTasklet.DONE, summary.shards().size());
    step.getExecutionContext().putLong("items.accepted", summary.accepted());
    step.getExecutionContext().putLong("items.rejected", summary.rejected());
    contribution.incrementWriteCount(summary.accepted());
    long rejected = summary.rejected() + (render == null ? 0 : render.rejected());
    if (rejected > config.maxRejects()) {
      String where = dev.urae.batch.run.Locations.display(store.uri(summary.rejectsKey()))
          + (render == null || render.rejected() == 0 ? "" : " and " + dev.urae.batch.run.Locations.display(store.uri(render.rejectsKey())));
      String message = rejected + " line" + (rejected == 1 ? " was" : "s were")
          + " rejected, more than --max-rejects " + config.maxRejects() + " allows; the list is at "
          + where + " (fix the manifest, or raise --max-rejects)";
      step.getExecutionContext().putString(StageTasklet.FAILURE, message);
      throw new StageFailedException(message);
    }
    return RepeatStatus.FINISHED;
  }

  /** Ingests one input set unless a finished ingest of it exists. */
  private static IngestSummary ingest(ObjectStore store, RunLayout layout, RunConfig config, String set, String manifest,
      StageProgress bar) throws java.io.IOException {
    String label = set.equals(RunLayout.MAIN_SET) ? "[ingest] " : "[ingest render manifest] ";
    IngestSummary summary = Ingest.readSummary(store, layout, set);
    if (summary == null) {
      Ingest ingest = new Ingest(store, layout, config.shardSize(),
          new ItemDefaults(config.intValue(RunConfig.WIDTH), config.intValue(RunConfig.HEIGHT)), set);
      summary = ingest.run(ManifestSource.of(manifest), lines -> bar.note(label + lines + " lines read..."));
    }
    bar.endNote(label + summary.lines() + " lines: " + summary.accepted() + " accepted, "
        + summary.rejected() + " rejected, " + summary.blank() + " blank; "
        + summary.shards().size() + " shard" + (summary.shards().size() == 1 ? "" : "s"));
    return summary;
  }
}
