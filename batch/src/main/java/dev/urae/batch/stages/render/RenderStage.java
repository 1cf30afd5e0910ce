package dev.urae.batch.stages.render;

import dev.urae.batch.job.PipelineStage;
import dev.urae.batch.job.RunContext;
import dev.urae.batch.run.StageNames;
import dev.urae.batch.stages.RenderSet;
import dev.urae.batch.stages.ShardTasks;
import dev.urae.batch.stages.StageParams;
import dev.urae.batch.task.TaskSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans the render stage: the {@link RenderSet}'s items in tasks of one shard's size, each run
 * by {@link RenderHandler}.
 */
public final class RenderStage implements PipelineStage {

  @Override
  public String name() {
    return StageNames.RENDER;
  }

  @Override
  public int order() {
    return 400;
  }

  @Override
  public List<TaskSpec> plan(RunContext run) throws IOException {
    RenderSet render = RenderSet.of(run);
    List<String> ids = render.ids();
    int size = run.config().shardSize();
    List<TaskSpec> tasks = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += size) {
      tasks.add(ShardTasks.single(run, StageNames.RENDER, String.format("render-%05d", from / size), render.shardKeys())
          .withParam(StageParams.RENDER_ITEMS, String.join(",", ids.subList(from, Math.min(ids.size(), from + size)))));
    }
    return tasks;
  }
}
