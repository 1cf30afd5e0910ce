package dev.urae.batch.stages.cache;

import dev.urae.batch.job.PipelineStage;
import dev.urae.batch.job.RunContext;
import dev.urae.batch.run.StageNames;
import dev.urae.batch.stages.ShardTasks;
import dev.urae.batch.task.TaskSpec;
import java.util.List;

/** Plans the cache stage: one task per shard, each run by {@link CacheHandler}. */
public final class CacheStage implements PipelineStage {

  @Override
  public String name() {
    return StageNames.CACHE;
  }

  @Override
  public int order() {
    return 200;
  }

  @Override
  public List<TaskSpec> plan(RunContext run) {
    return ShardTasks.perShard(run, StageNames.CACHE);
  }
}
