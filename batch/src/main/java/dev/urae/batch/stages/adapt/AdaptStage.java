package dev.urae.batch.stages.adapt;

import dev.urae.batch.job.PipelineStage;
import dev.urae.batch.job.RunContext;
import dev.urae.batch.run.StageNames;
import dev.urae.batch.stages.ShardTasks;
import dev.urae.batch.task.TaskSpec;
import java.util.List;

/** Plans the adapt stage: one training task over every shard, run by {@link AdaptHandler}. */
public final class AdaptStage implements PipelineStage {

  @Override
  public String name() {
    return StageNames.ADAPT;
  }

  @Override
  public int order() {
    return 300;
  }

  @Override
  public List<TaskSpec> plan(RunContext run) {
    return ShardTasks.single(run, StageNames.ADAPT, AdaptHandler.TASK);
  }
}
