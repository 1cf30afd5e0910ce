package dev.urae.batch.run;

import java.util.Optional;

/**
 * Where one run's objects live in the store (the README's "Runs and where their bytes live").
 * Every key a stage or a worker uses is built here, so the layout is written down once.
 */
public final class RunLayout {
  private final String runId;

  public RunLayout(String runId) {
    if (runId == null || !runId.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("not a valid run id: " + runId);
    }
    this.runId = runId;
  }

  public String runId() {
    return runId;
  }

  public String root() {
    return "runs/" + runId + "/";
  }

  /**
   * Input sets, as prefixes of their files: the manifest's items ({@link #MAIN_SET}, no prefix)
   * and, with {@code --render-manifest}, prompts that are only rendered ({@value #RENDER_SET}).
   */
  public static final String MAIN_SET = "";
  public static final String RENDER_SET = "render-";
  private static final java.util.regex.Pattern COMPLETED_CHECKPOINT = java.util.regex.Pattern.compile(".*/step-(\\d+)/COMPLETE");

  public String manifestCopy(String set, String extension) {
    return root() + "input/" + set + "manifest." + extension;
  }

  public String shard(String set, int index) {
    return shardKey(shardName(set, index));
  }

  /** The key of a shard named in an ingest summary. */
  public String shardKey(String shardName) {
    return root() + "input/" + shardName + ".jsonl";
  }

  public static String shardName(String set, int index) {
    return set + String.format("shard-%05d", index);
  }

  public String rejects() {
    return rejects(MAIN_SET);
  }

  public String rejects(String set) {
    return root() + "input/" + set + "rejects.jsonl";
  }

  /** Written last by ingest: its presence means ingest finished. */
  public String ingestSummary(String set) {
    return root() + "input/" + set + "summary.json";
  }

  public String tasks(String stage) {
    return root() + "tasks/" + stage + "/";
  }

  /**
   * The files a task leaves in its stage's task folder, by name suffix. Listed longest suffix
   * first, so that {@link #taskFile} never takes an error or failure record for a spec.
   */
  public enum TaskFile {
    /** Written by the worker when the task failed in a way a retry cannot change; removed when it runs again. */
    PERMANENT_FAILURE(".permanent.json"),
    /** The last failure of a task, in its own words; removed when the task succeeds. */
    ERROR(".error.json"),
    /** The completion marker: outputs with sizes and checksums. */
    MARKER(".done"),
    /** The task's spec, written by the stage's planner. */
    SPEC(".json");

    private final String suffix;

    TaskFile(String suffix) {
      this.suffix = suffix;
    }
  }

  /** A key of a stage's task folder, read back: which file it is and of which task. */
  public record TaskFileKey(TaskFile kind, String taskId) {}

  public String taskFile(String stage, String taskId, TaskFile kind) {
    return tasks(stage) + taskId + kind.suffix;
  }

  /** Which task file {@code key} is, or empty when it is not directly in the stage's task folder. */
  public Optional<TaskFileKey> taskFile(String stage, String key) {
    String folder = tasks(stage);
    if (!key.startsWith(folder) || key.indexOf('/', folder.length()) >= 0) return Optional.empty();
    String name = key.substring(folder.length());
    for (TaskFile kind : TaskFile.values()) {
      if (name.endsWith(kind.suffix) && name.length() > kind.suffix.length()) {
        return Optional.of(new TaskFileKey(kind, name.substring(0, name.length() - kind.suffix.length())));
      }
    }
    return Optional.empty();
  }

  public String taskSpec(String stage, String taskId) {
    return taskFile(stage, taskId, TaskFile.SPEC);
  }

  public String taskMarker(String stage, String taskId) {
    return taskFile(stage, taskId, TaskFile.MARKER);
  }

  /** The task list of one AWS Batch array job: its children's spec URIs, one per line in child order. */
  public String taskList(String stage, String jobName) {
    return root() + "batch/" + stage + "/" + jobName + ".tasks";
  }

  /** What one ended AWS Batch job of the stage used ({@code JobCompute}: attempts, capacity, estimated cost). */
  public String jobCompute(String stage, String jobId) {
    return root() + "batch/" + stage + "/" + jobId + JOB_COMPUTE;
  }

  /** The stage's folder of orchestrator records (task lists, job compute, the wait for compute). */
  public String batchRecords(String stage) {
    return root() + "batch/" + stage + "/";
  }

  public static final String JOB_COMPUTE = ".compute.json";

  /** The stage's current wait for compute ({@link ComputeWait}); present only while tasks wait. */
  public String computeWait(String stage) {
    return root() + "batch/" + stage + "/waiting.json";
  }

  public String taskError(String stage, String taskId) {
    return taskFile(stage, taskId, TaskFile.ERROR);
  }

  public String taskPermanentFailure(String stage, String taskId) {
    return taskFile(stage, taskId, TaskFile.PERMANENT_FAILURE);
  }

  /** A stage's own output folder, e.g. {@code runs/<id>/teacher/}. */
  public String stageOutput(String stage) {
    return root() + stage + "/";
  }

  /** A synthetic training image, written by the teacher stage and encoded by cache. */
  public String teacherImage(String itemId) {
    return stageOutput(StageNames.TEACHER) + itemId + ".png";
  }

  /** Its caption file (URAE's layout: prompt and generated_prompt), written by teacher and read by cache. */
  public String teacherCaption(String itemId) {
    return stageOutput(StageNames.TEACHER) + itemId + ".json";
  }

  private static final String CACHED_LATENTS = "_latents.safetensors";

  /** An item's image posterior (mean, std), written by the cache stage and read by adapt. */
  public String cachedLatents(String itemId) {
    return stageOutput(StageNames.CACHE) + itemId + CACHED_LATENTS;
  }

  /**
   * An item's text features of its prompt ({@code generated == false}) or of its generated caption,
   * named as URAE names them ({@code <id>_prompt_embed}, {@code <id>_generated_prompt_embed}),
   * written by the cache stage and read by adapt.
   */
  public String cachedText(String itemId, boolean generated) {
    return stageOutput(StageNames.CACHE) + itemId + (generated ? "_generated_prompt_embed.safetensors" : "_prompt_embed.safetensors");
  }

  /** The item whose latents {@code key} holds, or empty when {@code key} is another object. */
  public Optional<String> itemOfCachedLatents(String key) {
    String folder = stageOutput(StageNames.CACHE);
    if (!key.startsWith(folder) || !key.endsWith(CACHED_LATENTS)) return Optional.empty();
    return Optional.of(key.substring(folder.length(), key.length() - CACHED_LATENTS.length()));
  }

  /** One item's render scores (base and adapted), written by render and averaged by report. */
  public String renderMetrics(String itemId) {
    return stageOutput(StageNames.RENDER) + itemId + ".metrics.json";
  }

  /** The trained adapter (diffusers LoRA keys), written by adapt and applied by render. */
  public String adapter() {
    return stageOutput(StageNames.ADAPT) + "adapter.safetensors";
  }

  /** The adapter a chained run fuses into the base (--from-adapter), copied at launch and read by adapt. */
  public String priorAdapter() {
    return root() + "input/from-adapter.safetensors";
  }

  /** The training history (losses, learning rates, timings), written by adapt and charted by report. */
  public String trainingHistory() {
    return stageOutput(StageNames.ADAPT) + "history.json";
  }

  /** The base model's render of an item at the item's size, written by render and shown by report. */
  public String baseRender(String itemId) {
    return stageOutput(StageNames.RENDER) + "base/" + itemId + ".png";
  }

  /** The base model's render of an item at the model's native resolution. */
  public String baseNativeRender(String itemId) {
    return stageOutput(StageNames.RENDER) + "base-native/" + itemId + ".png";
  }

  /** The adapted model's render of an item. */
  public String adaptedRender(String itemId) {
    return stageOutput(StageNames.RENDER) + itemId + ".png";
  }

  /** The exact scene of a held-out prompt, drawn by the report stage beside the renders it scores. */
  public String truthImage(String itemId) {
    return stageOutput(StageNames.REPORT) + "truth/" + itemId + ".png";
  }

  /** The report's page, written by the report stage and named by the CLI when a run completes. */
  public String reportPage() {
    return stageOutput(StageNames.REPORT) + "index.html";
  }

  /** {@code key} relative to the run folder, as the report links it. */
  public String relative(String key) {
    if (!key.startsWith(root())) throw new IllegalArgumentException(key + " is not in run " + runId + " (" + root() + ")");
    return key.substring(root().length());
  }

  /** Training checkpoints ({@code step-N/}, complete once {@code step-N/COMPLETE} exists), written by adapt and marked by report. */
  public String checkpoints() {
    return stageOutput(StageNames.ADAPT) + "checkpoints/";
  }

  /** The step of a checkpoint's {@code COMPLETE} marker, or empty when {@code key} is another object. */
  public static java.util.OptionalLong completedCheckpoint(String key) {
    java.util.regex.Matcher m = COMPLETED_CHECKPOINT.matcher(key);
    return m.matches() ? java.util.OptionalLong.of(Long.parseLong(m.group(1))) : java.util.OptionalLong.empty();
  }
}
