package dev.urae.batch.stages;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.urae.batch.ingest.Ingest;
import dev.urae.batch.ingest.IngestSummary;
import dev.urae.batch.job.PipelineStage;
import dev.urae.batch.job.RunContext;
import dev.urae.batch.manifest.ManifestItem;
import dev.urae.batch.run.RunCatalog;
import dev.urae.batch.run.RunLayout;
import dev.urae.batch.run.RunStatus;
import dev.urae.batch.task.Json;
import dev.urae.batch.task.TaskSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The URAE pipeline's stages after ingest: teacher, cache, adapt, render and report. Each plans
 * its tasks here; the work happens in the matching {@code *Handler} on a worker.
 * ({@code urae.pipeline-enabled=false} leaves only ingest, for tests of the machinery.)
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "urae.pipeline-enabled", havingValue = "true", matchIfMissing = true)
public class BuiltInStages {

  @Bean
  PipelineStage teacherStage() {
    return stage(StageNames.TEACHER, 100, run -> ShardTasks.perShard(run, StageNames.TEACHER));
  }

  @Bean
  PipelineStage cacheStage() {
    return stage(StageNames.CACHE, 200, run -> ShardTasks.perShard(run, StageNames.CACHE));
  }

  @Bean
  PipelineStage adaptStage() {
    return stage(StageNames.ADAPT, 300, run -> ShardTasks.single(run, StageNames.ADAPT, AdaptHandler.TASK));
  }

  @Bean
  PipelineStage renderStage() {
    return stage(StageNames.RENDER, 400, run -> {
      RenderSet render = RenderSet.of(run);
      List<String> ids = render.ids();
      int size = run.config().shardSize();
      List<TaskSpec> tasks = new ArrayList<>();
      for (int from = 0; from < ids.size(); from += size) {
        TaskSpec task = ShardTasks.single(run, StageNames.RENDER, String.format("render-%05d", from / size), render.shardKeys());
        task.params().put(RenderHandler.ITEMS, String.join(",", ids.subList(from, Math.min(ids.size(), from + size))));
        tasks.add(task);
      }
      return tasks;
    });
  }

  @Bean
  PipelineStage reportStage(ObjectProvider<RunCatalog> catalog) {
    return stage(StageNames.REPORT, 500, run -> {
      RenderSet render = RenderSet.of(run);
      TaskSpec report = ShardTasks.single(run, StageNames.REPORT, "report", render.shardKeys());
      report.params().put(RenderHandler.ITEMS, String.join(",", render.ids()));
      ArrayNode stages = JsonNodeFactory.instance.arrayNode();
      for (RunStatus.Stage stage : catalog.getObject().status(run.runId()).stages()) {
        if (stage.name().equals(StageNames.REPORT)) continue;
        stages.addObject().put("name", stage.name())
            .put("millis", stage.elapsed() == null ? 0 : stage.elapsed().toMillis())
            .put("done", stage.done()).put("failed", stage.failed()).put("pending", stage.pending()).put("reused", 0);
      }
      report.params().put(ReportHandler.STAGES, Json.MAPPER.writeValueAsString(stages));
      return List.of(report);
    });
  }

  /**
   * The prompts the render stage draws and the shards holding them: the render manifest's items
   * when one was given, else the held-out items of the manifest.
   */
  private record RenderSet(List<String> shardKeys, List<String> ids) {
    static RenderSet of(RunContext run) throws IOException {
      IngestSummary renderOnly = Ingest.readSummary(run.store(), run.layout(), RunLayout.RENDER_SET);
      if (renderOnly != null) {
        List<String> keys = renderOnly.shards().stream().map(run.layout()::shardKey).toList();
        List<String> ids = new ArrayList<>();
        for (String key : keys) ItemSplit.read(run.store(), key).forEach(item -> ids.add(item.id()));
        return new RenderSet(keys, ids);
      }
      List<String> keys = run.shards().stream().map(run.layout()::shardKey).toList();
      int count = Integer.parseInt(run.config().get(PipelineOptions.RENDER_COUNT, PipelineOptions.DEFAULTS.get(PipelineOptions.RENDER_COUNT)[0]));
      return new RenderSet(keys, ItemSplit.rendered(run.store(), keys, count).stream().map(ManifestItem::id).toList());
    }
  }

  /** Plans a stage's tasks from its run. */
  @FunctionalInterface
  interface Planner {
    List<TaskSpec> plan(RunContext run) throws IOException;
  }

  private static PipelineStage stage(String name, int order, Planner planner) {
    return new PipelineStage() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public int order() {
        return order;
      }

      @Override
      public List<TaskSpec> plan(RunContext run) throws IOException {
        return planner.plan(run);
      }
    };
  }
}
