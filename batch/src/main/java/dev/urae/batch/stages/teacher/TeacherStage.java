package dev.urae.batch.stages.teacher;

import dev.urae.batch.job.PipelineStage;
import dev.urae.batch.job.RunContext;
import dev.urae.batch.run.StageNames;
import dev.urae.batch.stages.ShardTasks;
import dev.urae.batch.task.TaskSpec;
import java.util.List;

/** Plans the teacher stage: one task per shard, each run by {@link TeacherHandler}. */
public final class TeacherStage implements PipelineStage {

  @Override
  public String name() {
    return StageNames.TEACHER;
  }

  @Override
  public int order() {
    return 100;
  }

  @Override
  public List<TaskSpec> plan(RunContext run) {
    return ShardTasks.perShard(run, StageNames.TEACHER);
  }
}
