package dev.urae.batch.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code urae.*}, from {@code application.yml}, the environment ({@code URAE_*})
 * or the CLI, in Spring Boot's usual order (CLI wins).
 */
@ConfigurationProperties(prefix = "urae")
public class UraeProperties {
  /** Folder for the embedded default: the object store and the H2 job repository. */
  private Path dataDir = Path.of("urae-data");
  /** Object store root: a folder or s3://bucket/prefix/. Empty: the data folder. */
  private String store = "";
  /** Store root used when {@link #store} is empty (set for s3:// manifests: the manifest's bucket). */
  private String defaultStore = "";
  /** Executor: {@code local} (threads of this process) or {@code aws-batch}. */
  private String executor = "local";
  /** Tasks run at once by the local executor; 0 means one per core. */
  private int parallelism = 0;
  /**
   * Stages whose tasks load the base model and want a GPU: the local executor runs them one per
   * visible GPU (on the CPU, as many as {@link #parallelism}); on AWS their job queues are the GPU
   * queue. Every other stage (ingest, teacher, report) is CPU-only.
   */
  private java.util.List<String> gpuStages = new java.util.ArrayList<>(java.util.List.of("cache", "adapt", "render"));
  /** Attempts after the first for a task that fails (the stage's own retry policy). */
  private int taskRetries = 2;
  /** Accepted items per shard. */
  private int shardSize = 64;
  /** Rejected manifest lines tolerated before the run stops at ingest. */
  private long maxRejects = 0;
  /** Image width for items that do not set one (multiple of 16, 16..8192); unset: the recipe's side, else 64. */
  private Integer width;
  /** Image height for items that do not set one (multiple of 16, 16..8192); unset: the recipe's side, else 64. */
  private Integer height;
  /** Seconds between progress lines when the output is not a terminal. */
  private int progressIntervalSeconds = 10;
  /** Stage options (urae.pipeline.adapt.steps, ...); see {@code urae run --help}. */
  private java.util.Map<String, String> pipeline = new java.util.TreeMap<>();
  /** The --quick profile: every stage, small, for smoke tests. */
  private boolean quick = false;

  public java.util.Map<String, String> getPipeline() {
    return pipeline;
  }

  public void setPipeline(java.util.Map<String, String> pipeline) {
    this.pipeline = pipeline;
  }

  public boolean isQuick() {
    return quick;
  }

  public void setQuick(boolean quick) {
    this.quick = quick;
  }

  public Path getDataDir() {
    return dataDir;
  }

  public void setDataDir(Path dataDir) {
    this.dataDir = dataDir;
  }

  public String getStore() {
    return store;
  }

  public void setStore(String store) {
    this.store = store;
  }

  public String getDefaultStore() {
    return defaultStore;
  }

  public void setDefaultStore(String defaultStore) {
    this.defaultStore = defaultStore;
  }

  /** The effective store root: {@link #getStore()}, else the default store, else the data folder. */
  public String storeRoot() {
    if (store != null && !store.isBlank()) return store;
    if (defaultStore != null && !defaultStore.isBlank()) return defaultStore;
    return dataDir.toAbsolutePath().normalize().toString();
  }

  public String getExecutor() {
    return executor;
  }

  public void setExecutor(String executor) {
    this.executor = executor;
  }

  public int getParallelism() {
    return parallelism;
  }

  public void setParallelism(int parallelism) {
    this.parallelism = parallelism;
  }

  public java.util.List<String> getGpuStages() {
    return gpuStages;
  }

  public void setGpuStages(java.util.List<String> gpuStages) {
    this.gpuStages = gpuStages;
  }

  public int getTaskRetries() {
    return taskRetries;
  }

  public void setTaskRetries(int taskRetries) {
    this.taskRetries = taskRetries;
  }

  public int getShardSize() {
    return shardSize;
  }

  public void setShardSize(int shardSize) {
    this.shardSize = shardSize;
  }

  public long getMaxRejects() {
    return maxRejects;
  }

  public void setMaxRejects(long maxRejects) {
    this.maxRejects = maxRejects;
  }

  public Integer getWidth() {
    return width;
  }

  public void setWidth(Integer width) {
    this.width = width;
  }

  public Integer getHeight() {
    return height;
  }

  public void setHeight(Integer height) {
    this.height = height;
  }

  public int getProgressIntervalSeconds() {
    return progressIntervalSeconds;
  }

  public void setProgressIntervalSeconds(int progressIntervalSeconds) {
    this.progressIntervalSeconds = progressIntervalSeconds;
  }
}
