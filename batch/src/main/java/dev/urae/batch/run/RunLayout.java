package dev.urae.batch.run;

/**
 * Where one run's objects live in the store (see DESIGN.md, "Where bytes live"). Every key a
 * stage or a worker uses is built here, so the layout is written down once.
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

  public String taskSpec(String stage, String taskId) {
    return tasks(stage) + taskId + ".json";
  }

  public String taskMarker(String stage, String taskId) {
    return tasks(stage) + taskId + ".done";
  }

  /** The last failure of a task, in its own words; removed when the task succeeds. */
  public String taskError(String stage, String taskId) {
    return tasks(stage) + taskId + ".error.json";
  }

  /** Written by the worker when the task failed in a way a retry cannot change; removed when it runs again. */
  public String taskPermanentFailure(String stage, String taskId) {
    return tasks(stage) + taskId + ".permanent.json";
  }

  /** A stage's own output folder, e.g. {@code runs/<id>/teacher/}. */
  public String stageOutput(String stage) {
    return root() + stage + "/";
  }
}
