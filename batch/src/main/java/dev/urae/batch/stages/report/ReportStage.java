package dev.urae.batch.stages.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.urae.batch.job.PipelineStage;
import dev.urae.batch.job.RunContext;
import dev.urae.batch.json.Json;
import dev.urae.batch.run.RunStatus;
import dev.urae.batch.run.StageNames;
import dev.urae.batch.stages.RenderSet;
import dev.urae.batch.stages.ShardTasks;
import dev.urae.batch.stages.StageParams;
import dev.urae.batch.task.TaskSpec;
import java.io.IOException;
import java.util.List;

/**
 * Plans the report stage: one task over the {@link RenderSet}, carrying the earlier stages'
 * timings and task counts as the run's status showed them when the report stage started.
 */
public final class ReportStage implements PipelineStage {

  @Override
  public String name() {
    return StageNames.REPORT;
  }

  @Override
  public int order() {
    return 500;
  }

  @Override
  public List<TaskSpec> plan(RunContext run) throws IOException {
    RenderSet render = RenderSet.of(run);
    ArrayNode stages = JsonNodeFactory.instance.arrayNode();
    for (RunStatus.Stage stage : run.stages()) {
      if (stage.name().equals(StageNames.REPORT)) continue;
      stages.addObject().put("name", stage.name())
          .put("millis", stage.elapsed() == null ? 0 : stage.elapsed().toMillis())
          .put("done", stage.done()).put("failed", stage.failed()).put("pending", stage.pending()).put("reused", 0);
    }
    return List.of(ShardTasks.single(run, StageNames.REPORT, "report", render.shardKeys())
        .withParam(StageParams.RENDER_ITEMS, String.join(",", render.ids()))
        .withParam(ReportHandler.STAGES, Json.MAPPER.writeValueAsString(stages)));
  }
}
