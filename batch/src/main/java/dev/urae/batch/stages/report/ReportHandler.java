package dev.urae.batch.stages.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.urae.batch.ingest.Ingest;
import dev.urae.batch.ingest.IngestSummary;
import dev.urae.batch.json.Json;
import dev.urae.batch.manifest.ManifestItem;
import dev.urae.batch.report.GalleryEntry;
import dev.urae.batch.report.MetricTable;
import dev.urae.batch.report.RecipeUse;
import dev.urae.batch.report.Rejects;
import dev.urae.batch.report.ReportWriter;
import dev.urae.batch.report.RunReport;
import dev.urae.batch.report.StageBatchCompute;
import dev.urae.batch.report.StageCompute;
import dev.urae.batch.report.StageSummary;
import dev.urae.batch.report.WrittenReport;
import dev.urae.batch.run.RunLayout;
import dev.urae.batch.run.StageNames;
import dev.urae.batch.stages.ItemSplit;
import dev.urae.batch.stages.PipelineOptions;
import dev.urae.batch.stages.Recipe;
import dev.urae.batch.stages.RenderMetrics;
import dev.urae.batch.stages.StageParams;
import dev.urae.batch.stages.StageTask;
import dev.urae.batch.stages.TrainingHistory;
import dev.urae.batch.task.TaskCompute;
import dev.urae.infra.exec.ComputeAttempt;
import dev.urae.infra.exec.JobCompute;
import dev.urae.batch.task.TaskContext;
import dev.urae.batch.task.TaskHandler;
import dev.urae.batch.task.TaskSpec;
import dev.urae.batch.task.TaskStore;
import dev.urae.infra.store.ObjectInfo;
import dev.urae.infra.store.ObjectStore;
import dev.urae.batch.stages.BaseModels;
import dev.urae.model.base.GroundTruth;
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
 * Worker code of the report stage: gathers the run's numbers (stage timings, task counts and the
 * compute the tasks' markers recorded,
 * the loss curve, base vs adapted metrics) and its renders into {@code report/index.html} and
 * {@code report/summary.json}. For prompts of the demo grammar the exact scene is drawn beside
 * the renders, as the truth they are scored against.
 */
public final class ReportHandler implements TaskHandler {
  static final String STAGES = "report.stages";
  /** How the report names each rendering's row of the metric table. */
  private static final Map<String, String> ROW_LABELS = Map.of(
      RenderMetrics.BASE_NATIVE, "base @ native", RenderMetrics.BASE, "base @ target", RenderMetrics.ADAPTED, "adapted @ target");

  @Override
  public String stage() {
    return StageNames.REPORT;
  }

  @Override
  public void run(TaskSpec spec, TaskContext context) throws Exception {
    StageTask task = StageTask.of(spec, context);
    IngestSummary ingest = Ingest.readSummary(task.store(), task.layout());
    Map<String, String> configuration = new StageParams(spec).all();
    configuration.remove(STAGES);
    configuration.remove(StageParams.RENDER_ITEMS);
    RunReport.Builder report = RunReport.builder()
        .setRunId(spec.runId())
        .optManifest(ingest.manifest())
        .optFinishedAt(Instant.now().toString())
        .optConfiguration(configuration)
        .optRecipe(recipeUse(configuration))
        .optRejects(ingest.rejected() == 0 ? Rejects.NONE : new Rejects(ingest.rejected(), "input/rejects.jsonl"));
    TaskStore tasks = new TaskStore(task.store());
    for (JsonNode stage : Json.MAPPER.readTree(spec.requireParam(STAGES))) {
      String name = stage.path("name").asText();
      report.addStage(new StageSummary(name, stage.path("millis").asLong(),
          stage.path("done").asInt(), stage.path("failed").asInt(), stage.path("pending").asInt(),
          stage.path("reused").asInt()));
      List<TaskCompute> measured = tasks.stageCompute(spec.runId(), name);
      if (!measured.isEmpty()) report.addCompute(compute(name, measured));
      List<JobCompute> jobs = tasks.stageJobCompute(spec.runId(), name);
      if (!jobs.isEmpty()) report.addBatchCompute(batchCompute(name, jobs));
    }
    String history = task.layout().trainingHistory();
    if (task.store().exists(history)) {
      TrainingHistory training;
      try (InputStream in = task.store().get(history)) {
        training = TrainingHistory.read(in);
      }
      List<Double> rates = training.learningRates();
      for (int i = 0; i < training.losses().size(); i++) {
        report.addLoss(i + 1, training.losses().get(i), i < rates.size() ? rates.get(i) : 0.0);
      }
    }
    for (ObjectInfo object : task.store().list(task.layout().checkpoints())) RunLayout.completedCheckpoint(object.key()).ifPresent(report::addCheckpoint);
    // Per rendering and metric: the sum and the count of renders that have the metric.
    Map<String, double[][]> sums = new LinkedHashMap<>();
    for (String model : RenderMetrics.MODELS) sums.put(model, new double[RenderMetrics.NAMES.size()][2]);
    int scored = 0;
    Set<String> wanted = Set.of(spec.requireParam(StageParams.RENDER_ITEMS).split(","));
    Optional<GroundTruth> truth = BaseModels.groundTruth(new StageParams(spec).text(PipelineOptions.MODEL));
    for (String shard : spec.inputs()) {
      for (ManifestItem item : ItemSplit.read(task.store(), shard)) {
        if (!wanted.contains(item.id())) continue;
        report.addGalleryEntry(new GalleryEntry(item.id(), item.prompt(), item.seed(), List.of(
            new GalleryEntry.Panel("teacher (truth)", truth.isEmpty() ? null : reference(truth.get(), context, task.layout(), item).orElse(null)),
            new GalleryEntry.Panel("base, native resolution", existing(task.store(), task.layout(), task.layout().baseNativeRender(item.id()))),
            new GalleryEntry.Panel("base, target resolution", task.layout().relative(task.layout().baseRender(item.id()))),
            new GalleryEntry.Panel("adapted, target resolution", task.layout().relative(task.layout().adaptedRender(item.id()))))));
        String metrics = task.layout().renderMetrics(item.id());
        if (!task.store().exists(metrics)) continue;
        RenderMetrics scores;
        try (InputStream in = task.store().get(metrics)) {
          scores = RenderMetrics.read(in);
        }
        for (String model : RenderMetrics.MODELS) {
          double[][] sum = sums.get(model);
          List<Double> values = scores.of(model).values();
          for (int k = 0; k < sum.length; k++) {
            if (Double.isNaN(values.get(k))) continue;
            sum[k][0] += values.get(k);
            sum[k][1]++;
          }
        }
        scored++;
      }
    }
    if (scored > 0) {
      Map<String, Map<String, Double>> means = new LinkedHashMap<>();
      sums.forEach((model, sum) -> {
        Map<String, Double> values = new LinkedHashMap<>();
        for (int k = 0; k < sum.length; k++) values.put(RenderMetrics.NAMES.get(k), sum[k][1] == 0 ? Double.NaN : sum[k][0] / sum[k][1]);
        means.put(model, values);
      });
      List<MetricTable.Row> rows = new java.util.ArrayList<>();
      means.forEach((model, values) -> rows.add(new MetricTable.Row(ROW_LABELS.get(model), values)));
      report.optMetrics(new MetricTable(headline(means.get(RenderMetrics.BASE), means.get(RenderMetrics.ADAPTED), scored),
          RenderMetrics.NAMES, rows));
    }
    WrittenReport written = new ReportWriter(task.store()).write(report.build(), task.layout().root());
    context.reuse(written.indexKey());
    context.reuse(written.summaryKey());
  }

  /** A stage's AWS Batch compute: its jobs' attempts summed by capacity, priced attempts' costs added up. */
  static StageBatchCompute batchCompute(String stage, List<JobCompute> jobs) {
    int attempts = 0;
    int unpriced = 0;
    double gpu = 0, vcpu = 0, usd = 0;
    Map<String, Double> hoursByCapacity = new java.util.HashMap<>();
    java.util.Set<String> prices = new java.util.LinkedHashSet<>();
    for (JobCompute job : jobs) {
      if (!job.prices().isEmpty()) prices.add(job.prices());
      for (ComputeAttempt attempt : job.attempts()) {
        attempts++;
        gpu += attempt.gpuHours();
        vcpu += attempt.vcpuHours();
        hoursByCapacity.merge(attempt.capacity(), attempt.hours(), Double::sum);
        if (attempt.estimatedUsd() == null) unpriced++;
        else usd += attempt.estimatedUsd();
      }
    }
    return new StageBatchCompute(stage, attempts, gpu, vcpu, hoursByCapacity.getOrDefault("SPOT", 0.0),
        hoursByCapacity.getOrDefault("ON_DEMAND", 0.0),
        hoursByCapacity.getOrDefault("FARGATE", 0.0) + hoursByCapacity.getOrDefault("FARGATE_SPOT", 0.0),
        hoursByCapacity.getOrDefault("UNKNOWN", 0.0), usd, unpriced, String.join("; ", prices));
  }

  /** A stage's compute: its tasks' wall and CPU times summed (a task whose JVM could not measure CPU time adds none). */
  static StageCompute compute(String stage, List<TaskCompute> tasks) {
    long wall = tasks.stream().mapToLong(TaskCompute::wallMillis).sum();
    long cpu = tasks.stream().mapToLong(TaskCompute::cpuMillis).filter(millis -> millis >= 0).sum();
    return new StageCompute(stage, tasks.size(), wall, cpu);
  }

  /**
   * One sentence saying what adaptation changed at the target resolution, score by score, with
   * the direction that counts as better for each (e.g. "... improved texture detail from 0.12
   * to 0.41 (+0.29) ...").
   */
  static String headline(Map<String, Double> base, Map<String, Double> adapted, int prompts) {
    List<String> better = new java.util.ArrayList<>();
    List<String> worse = new java.util.ArrayList<>();
    for (int k = 0; k < RenderMetrics.NAMES.size(); k++) {
      String name = RenderMetrics.NAMES.get(k);
      double before = base.get(name);
      double after = adapted.get(name);
      if (Double.isNaN(before) || Double.isNaN(after) || before == after) continue;
      String change = name.replace('_', ' ') + " from " + format(before) + " to " + format(after) + " ("
          + (after > before ? "+" : "\u2212") + format(Math.abs(after - before)) + ")";
      ((after > before) == RenderMetrics.HIGHER_IS_BETTER.get(k) ? better : worse).add(change);
    }
    String over = " over " + prompts + " held-out prompt" + (prompts == 1 ? "" : "s");
    if (better.isEmpty() && worse.isEmpty()) return "At the target resolution the adapted model scores the same as the base" + over + ".";
    return "At the target resolution, adaptation " + (better.isEmpty() ? "improved no score" : "improved " + String.join(", ", better))
        + (worse.isEmpty() ? "" : ", and worsened " + String.join(", ", worse)) + over + ".";
  }

  private static String format(double value) {
    return String.format(java.util.Locale.ROOT, "%.3g", value);
  }

  /** {@code key} relative to the run folder when the run has it (runs made before renders at the native resolution have none). */
  private static String existing(ObjectStore store, RunLayout layout, String key) throws java.io.IOException {
    return store.exists(key) ? layout.relative(key) : null;
  }

  /** Draws the exact image of a prompt the base model's world knows as the reference image; relative key. */
  private static Optional<String> reference(GroundTruth truth, TaskContext context, RunLayout layout, ManifestItem item)
      throws java.io.IOException {
    Optional<BufferedImage> image = truth.reference(item.prompt(), item.width(), item.height(), item.seed());
    if (image.isEmpty()) return Optional.empty();
    String key = layout.truthImage(item.id());
    context.put(key, PngImages.encode(image.get(), Map.of("prompt", item.prompt())));
    return Optional.of(layout.relative(key));
  }

  /** The run's recipe and every setting of its configuration that differs from the recipe's. */
  static RecipeUse recipeUse(Map<String, String> configuration) {
    String name = configuration.getOrDefault(PipelineOptions.RECIPE, Recipe.NONE);
    return Recipe.named(name).map(recipe -> new RecipeUse(recipe.label(), recipe.deviations(configuration).stream()
        .map(d -> new RecipeUse.Deviation(d.option(), d.recipeValue(), d.runValue())).toList())).orElse(RecipeUse.NONE);
  }
}
