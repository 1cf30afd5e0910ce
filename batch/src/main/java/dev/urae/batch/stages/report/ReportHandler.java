package dev.urae.batch.stages.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.urae.batch.ingest.Ingest;
import dev.urae.batch.ingest.IngestSummary;
import dev.urae.batch.json.Json;
import dev.urae.batch.manifest.ManifestItem;
import dev.urae.batch.report.GalleryEntry;
import dev.urae.batch.report.MetricTable;
import dev.urae.batch.report.Rejects;
import dev.urae.batch.report.ReportWriter;
import dev.urae.batch.report.RunReport;
import dev.urae.batch.report.StageSummary;
import dev.urae.batch.report.WrittenReport;
import dev.urae.batch.run.RunLayout;
import dev.urae.batch.run.StageNames;
import dev.urae.batch.stages.ItemSplit;
import dev.urae.batch.stages.PipelineOptions;
import dev.urae.batch.stages.RenderMetrics;
import dev.urae.batch.stages.StageParams;
import dev.urae.batch.stages.TrainingHistory;
import dev.urae.batch.task.TaskContext;
import dev.urae.batch.task.TaskHandler;
import dev.urae.batch.task.TaskSpec;
import dev.urae.infra.store.ObjectStore;
import dev.urae.model.base.BaseModels;
import dev.urae.model.base.GroundTruth;
import dev.urae.model.base.ImageScore;
import dev.urae.model.image.PngImages;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Worker code of the report stage: gathers the run's numbers (stage timings and task counts,
 * the loss curve, base vs adapted metrics) and its renders into {@code report/index.html} and
 * {@code report/summary.json}. For prompts of the demo grammar the exact scene is drawn beside
 * the renders, as the truth they are scored against.
 */
public final class ReportHandler implements TaskHandler {
  static final String STAGES = "report.stages";

  @Override
  public String stage() {
    return StageNames.REPORT;
  }

  @Override
  public void run(TaskSpec spec, TaskContext context) throws Exception {
    ObjectStore store = context.store();
    RunLayout layout = new RunLayout(spec.runId());
    IngestSummary ingest = Ingest.readSummary(store, layout);
    Map<String, String> configuration = new StageParams(spec).all();
    configuration.remove(STAGES);
    configuration.remove(StageParams.RENDER_ITEMS);
    RunReport.Builder report = RunReport.builder()
        .setRunId(spec.runId())
        .optManifest(ingest.manifest())
        .optFinishedAt(Instant.now().toString())
        .optConfiguration(configuration)
        .optRejects(ingest.rejected() == 0 ? Rejects.NONE : new Rejects(ingest.rejected(), "input/rejects.jsonl"));
    for (JsonNode stage : Json.MAPPER.readTree(spec.requireParam(STAGES))) {
      report.addStage(new StageSummary(stage.path("name").asText(), stage.path("millis").asLong(),
          stage.path("done").asInt(), stage.path("failed").asInt(), stage.path("pending").asInt(),
          stage.path("reused").asInt()));
    }
    String history = layout.trainingHistory();
    if (store.exists(history)) {
      TrainingHistory training;
      try (InputStream in = store.get(history)) {
        training = TrainingHistory.read(in);
      }
      List<Double> rates = training.learningRates();
      for (int i = 0; i < training.losses().size(); i++) {
        report.addLoss(i + 1, training.losses().get(i), i < rates.size() ? rates.get(i) : 0.0);
      }
    }
    // Per model and metric: the sum and the count of renders that have the metric.
    Map<String, double[][]> sums = new LinkedHashMap<>();
    int scored = 0;
    Set<String> wanted = Set.of(spec.requireParam(StageParams.RENDER_ITEMS).split(","));
    Optional<GroundTruth> truth = BaseModels.provider(new StageParams(spec).text(PipelineOptions.MODEL)).groundTruth();
    for (String shard : spec.inputs()) {
      for (ManifestItem item : ItemSplit.read(store, shard)) {
        if (!wanted.contains(item.id())) continue;
        String truthKey = truth.isEmpty() ? null : reference(truth.get(), context, layout, item).orElse(null);
        report.addGalleryEntry(new GalleryEntry(item.id(), item.prompt(), item.seed(),
            "render/base/" + item.id() + ".png", "render/" + item.id() + ".png", truthKey));
        String metricsKey = layout.renderMetrics(item.id());
        if (store.exists(metricsKey)) {
          RenderMetrics metrics;
          try (InputStream in = store.get(metricsKey)) {
            metrics = RenderMetrics.read(in);
          }
          add(sums, "base", metrics.base());
          add(sums, "adapted", metrics.adapted());
          scored++;
        }
      }
    }
    if (scored > 0) {
      List<MetricTable.Row> rows = new java.util.ArrayList<>();
      for (Map.Entry<String, double[][]> e : sums.entrySet()) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (int k = 0; k < e.getValue().length; k++) {
          double[] sum = e.getValue()[k];
          values.put(RenderMetrics.NAMES.get(k), sum[1] == 0 ? Double.NaN : sum[0] / sum[1]);
        }
        rows.add(new MetricTable.Row(e.getKey(), values));
      }
      report.optMetrics(new MetricTable(RenderMetrics.NAMES, rows));
    }
    WrittenReport written = new ReportWriter(store).write(report.build(), layout.root());
    context.reuse(written.indexKey());
    context.reuse(written.summaryKey());
  }

  /** Adds one render's scores to the per-metric sums and counts of {@code model} (NaN: the render has none). */
  private static void add(Map<String, double[][]> sums, String model, ImageScore score) {
    double[][] sum = sums.computeIfAbsent(model, m -> new double[RenderMetrics.NAMES.size()][2]);
    for (int k = 0; k < sum.length; k++) {
      double value = RenderMetrics.value(score, RenderMetrics.NAMES.get(k));
      if (Double.isNaN(value)) continue;
      sum[k][0] += value;
      sum[k][1]++;
    }
  }

  /** Draws the exact image of a prompt the base model's world knows as the reference image; relative key. */
  private static Optional<String> reference(GroundTruth truth, TaskContext context, RunLayout layout, ManifestItem item)
      throws java.io.IOException {
    Optional<BufferedImage> image = truth.reference(item.prompt(), item.width(), item.height(), item.seed());
    if (image.isEmpty()) return Optional.empty();
    String key = "report/truth/" + item.id() + ".png";
    context.put(layout.root() + key, PngImages.encode(image.get(), Map.of("prompt", item.prompt())));
    return Optional.of(key);
  }
}
