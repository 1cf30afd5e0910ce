package dev.urae.batch.stages;

import dev.urae.batch.run.RunLayout;
import dev.urae.batch.task.TaskContext;
import dev.urae.batch.task.TaskSpec;
import dev.urae.infra.store.ObjectStore;

/**
 * One task of a built-in stage as its handler works with it: the spec, the run's options read
 * from it, the store, the run's layout, and the context that records the task's outputs.
 */
public record StageTask(TaskSpec spec, StageParams params, ObjectStore store, RunLayout layout, TaskContext context) {

  public static StageTask of(TaskSpec spec, TaskContext context) {
    return new StageTask(spec, new StageParams(spec), context.store(), new RunLayout(spec.runId()), context);
  }
}
