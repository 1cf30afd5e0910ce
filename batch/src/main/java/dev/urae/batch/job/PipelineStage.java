package dev.urae.batch.job;

import dev.urae.batch.task.TaskSpec;
import java.io.IOException;
import java.util.List;

/**
 * The orchestrator-side half of a stage: turns a run into tasks. Stages are Spring beans; the
 * {@code urae} job runs them in {@link #order()} after ingest, each as one Spring Batch step
 * that completes only when every task left a valid completion marker. The worker-side half is
 * a {@link dev.urae.batch.task.TaskHandler} with the same {@link #name()}.
 */
public interface PipelineStage {

  /** The step and task-folder name, e.g. {@code teacher}. */
  String name();

  /** Position in the job; the built-in stages use 100 (teacher) to 500 (report). */
  int order();

  /** The tasks of this stage for {@code run}, in a stable order (one per shard, or one). */
  List<TaskSpec> plan(RunContext run) throws IOException;

  /**
   * Called once every task has a valid completion marker: what the stage made, in one line for
   * the user (null: nothing to add). Throws {@link StageFailedException} when the outputs as a
   * whole cannot serve the next stage (the teacher refused every item); that fails the stage
   * at once, as retrying its tasks would only repeat them.
   */
  default String conclude(RunContext run) throws IOException {
    return null;
  }
}
