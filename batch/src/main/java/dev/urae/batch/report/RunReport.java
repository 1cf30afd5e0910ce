package dev.urae.batch.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything the report shows, as plain data: the report stage fills it from the job repository
 * and the store, {@link ReportWriter} renders it, and {@code summary.json} is this object plus
 * totals. Render and teacher keys are relative to the run folder.
 *
 * @param runId         the run's id
 * @param manifest      where the manifest came from (as the user named it)
 * @param finishedAt    when the run finished, ISO-8601, or null
 * @param configuration the effective run configuration, option name to value (sorted by name)
 * @param stages        per stage, in pipeline order
 * @param compute       per stage, the compute its tasks measured, in pipeline order
 * @param batchCompute  per stage, what its AWS Batch jobs' attempts used and cost (empty when run locally)
 * @param lossHistory   the training loss by step, in step order
 * @param checkpoints   the steps at which training saved a checkpoint, ascending
 * @param gallery       base vs adapted renders of held-out prompts
 * @param metrics       the metric table (models × metrics)
 * @param rejects       rejected items and where they are listed
 * @param notes         free-text remarks, shown as a list
 * @param recipe        the recipe the run followed and what deviated from it
 */
public record RunReport(
    String runId,
    String manifest,
    String finishedAt,
    Map<String, String> configuration,
    List<StageSummary> stages,
    List<StageCompute> compute,
    List<StageBatchCompute> batchCompute,
    List<LossPoint> lossHistory,
    List<Long> checkpoints,
    List<GalleryEntry> gallery,
    MetricTable metrics,
    Rejects rejects,
    List<String> notes,
    RecipeUse recipe) {

  public RunReport {
    Objects.requireNonNull(runId, "runId == null");
    if (runId.isBlank()) throw new IllegalArgumentException("runId is blank");
    manifest = manifest == null ? "" : manifest;
    configuration = configuration == null
        ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(configuration));
    stages = copy(stages);
    compute = copy(compute);
    batchCompute = copy(batchCompute);
    lossHistory = copy(lossHistory);
    checkpoints = checkpoints == null ? List.of() : checkpoints.stream().sorted().toList();
    gallery = copy(gallery);
    metrics = metrics == null ? MetricTable.EMPTY : metrics;
    rejects = rejects == null ? Rejects.NONE : rejects;
    notes = copy(notes);
    recipe = recipe == null ? RecipeUse.NONE : recipe;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Sum of the stages' durations. */
  public long totalMillis() {
    return stages.stream().mapToLong(StageSummary::durationMillis).sum();
  }

  private static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  /** Builder: {@code setRunId} is required, everything else optional. */
  public static final class Builder {
    private String runId;
    private String manifest;
    private String finishedAt;
    private Map<String, String> configuration = Map.of();
    private final List<StageSummary> stages = new ArrayList<>();
    private final List<StageCompute> compute = new ArrayList<>();
    private final List<StageBatchCompute> batchCompute = new ArrayList<>();
    private final List<Long> checkpoints = new ArrayList<>();
    private final List<LossPoint> lossHistory = new ArrayList<>();
    private final List<GalleryEntry> gallery = new ArrayList<>();
    private MetricTable metrics = MetricTable.EMPTY;
    private Rejects rejects = Rejects.NONE;
    private final List<String> notes = new ArrayList<>();
    private RecipeUse recipe = RecipeUse.NONE;

    private Builder() {}

    public Builder setRunId(String runId) {
      this.runId = runId;
      return this;
    }

    public Builder optManifest(String manifest) {
      this.manifest = manifest;
      return this;
    }

    public Builder optFinishedAt(String finishedAt) {
      this.finishedAt = finishedAt;
      return this;
    }

    public Builder optConfiguration(Map<String, String> configuration) {
      this.configuration = Objects.requireNonNull(configuration, "configuration == null");
      return this;
    }

    public Builder addStage(StageSummary stage) {
      stages.add(Objects.requireNonNull(stage, "stage == null"));
      return this;
    }

    public Builder addCompute(StageCompute stage) {
      compute.add(Objects.requireNonNull(stage, "stage == null"));
      return this;
    }

    public Builder addBatchCompute(StageBatchCompute stage) {
      batchCompute.add(Objects.requireNonNull(stage, "stage == null"));
      return this;
    }

    public Builder addLoss(long step, double loss, double lr) {
      lossHistory.add(new LossPoint(step, loss, lr));
      return this;
    }

    public Builder optLossHistory(List<LossPoint> points) {
      lossHistory.clear();
      lossHistory.addAll(points);
      return this;
    }

    public Builder addCheckpoint(long step) {
      checkpoints.add(step);
      return this;
    }

    public Builder addGalleryEntry(GalleryEntry entry) {
      gallery.add(Objects.requireNonNull(entry, "entry == null"));
      return this;
    }

    public Builder optMetrics(MetricTable metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics == null");
      return this;
    }

    public Builder optRejects(Rejects rejects) {
      this.rejects = Objects.requireNonNull(rejects, "rejects == null");
      return this;
    }

    public Builder addNote(String note) {
      notes.add(Objects.requireNonNull(note, "note == null"));
      return this;
    }

    public Builder optRecipe(RecipeUse recipe) {
      this.recipe = Objects.requireNonNull(recipe, "recipe == null");
      return this;
    }

    public RunReport build() {
      if (runId == null) throw new IllegalArgumentException("runId is not set");
      return new RunReport(runId, manifest, finishedAt, configuration, stages, compute, batchCompute, lossHistory, checkpoints, gallery,
          metrics, rejects, notes, recipe);
    }
  }
}
