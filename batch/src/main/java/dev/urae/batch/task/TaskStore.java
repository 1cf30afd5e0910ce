package dev.urae.batch.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.urae.batch.json.Json;
import dev.urae.batch.run.ComputeWait;
import dev.urae.batch.run.RunLayout;
import dev.urae.infra.exec.CompletionCheck;
import dev.urae.infra.exec.JobCompute;
import dev.urae.infra.exec.MarkerCompletionCheck;
import dev.urae.infra.store.NoSuchObjectException;
import dev.urae.infra.store.ObjectInfo;
import dev.urae.infra.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes a run's task specs, completion markers, error records, permanent-failure
 * records, the stages' waits for compute and what their AWS Batch jobs used.
 */
public final class TaskStore {
  private final ObjectStore store;

  public TaskStore(ObjectStore store) {
    this.store = store;
  }

  public ObjectStore store() {
    return store;
  }

  public void writeSpec(TaskSpec spec) throws IOException {
    store.put(layout(spec).taskSpec(spec.stage(), spec.taskId()), Json.MAPPER.writeValueAsBytes(spec));
  }

  public TaskSpec readSpec(String key) throws IOException {
    try (InputStream in = store.get(key)) {
      return Json.MAPPER.readValue(in, TaskSpec.class);
    } catch (JsonProcessingException e) {
      throw new IOException("task spec " + store.uri(key) + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  public void writeMarker(TaskSpec spec, List<ObjectInfo> outputs, TaskCompute compute) throws IOException {
    CompletionMarker marker = new CompletionMarker(spec.runId(), spec.stage(), spec.taskId(), Instant.now(), outputs, compute);
    RunLayout layout = layout(spec);
    store.put(layout.taskMarker(spec.stage(), spec.taskId()), Json.MAPPER.writeValueAsBytes(marker));
    store.delete(layout.taskError(spec.stage(), spec.taskId()));
    clearPermanentFailure(spec);
  }

  /** Records that the task failed in a way a retry cannot change, in the task's own words. */
  public void writePermanentFailure(TaskSpec spec, String reason) throws IOException {
    Map<String, Object> failure = new LinkedHashMap<>();
    failure.put("task", spec.taskId());
    failure.put("reason", reason);
    failure.put("at", Instant.now().toString());
    store.put(layout(spec).taskPermanentFailure(spec.stage(), spec.taskId()), Json.MAPPER.writeValueAsBytes(failure));
  }

  public void clearPermanentFailure(TaskSpec spec) throws IOException {
    store.delete(layout(spec).taskPermanentFailure(spec.stage(), spec.taskId()));
  }

  /** Why the task's last run failed permanently, or empty when it did not. */
  public Optional<String> readPermanentFailure(String runId, String stage, String taskId) throws IOException {
    try (InputStream in = store.get(new RunLayout(runId).taskPermanentFailure(stage, taskId))) {
      return Optional.of(Json.MAPPER.readTree(in).path("reason").asText(""));
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    }
  }

  /**
   * Which of the tasks an executor reported as succeeded left no completion marker: the one
   * completion check, batched (one listing per stage folder), run after every executor.
   */
  public CompletionCheck completionCheck() {
    return new MarkerCompletionCheck(store, task -> new RunLayout(task.runId()).taskMarker(task.stage(), task.taskId()));
  }

  /**
   * The task's marker when it is valid: it parses, names this task, and every output it lists
   * still exists with the recorded size and checksum. Anything else means "not done".
   */
  public Optional<CompletionMarker> validMarker(String runId, String stage, String taskId) throws IOException {
    return markerProblem(runId, stage, taskId) == null ? readMarker(runId, stage, taskId) : Optional.empty();
  }

  /** Null when the task's marker is valid, else why not (for messages). */
  public String markerProblem(String runId, String stage, String taskId) throws IOException {
    Optional<CompletionMarker> read;
    try {
      read = readMarker(runId, stage, taskId);
    } catch (IOException e) {
      return e.getMessage();
    }
    if (read.isEmpty()) return "it left no completion marker";
    CompletionMarker marker = read.get();
    if (!marker.runId().equals(runId) || !marker.stage().equals(stage) || !marker.taskId().equals(taskId)) {
      return "its completion marker names another task (" + marker.stage() + "/" + marker.taskId() + ")";
    }
    for (ObjectInfo output : marker.outputs()) {
      Optional<ObjectInfo> now = store.stat(output.key());
      if (now.isEmpty()) return "output " + store.uri(output.key()) + " listed in its marker is missing";
      if (now.get().size() != output.size()) {
        return "output " + store.uri(output.key()) + " has " + now.get().size() + " bytes, its marker says " + output.size();
      }
      if (output.sha256() != null && now.get().sha256() != null && !output.sha256().equals(now.get().sha256())) {
        return "output " + store.uri(output.key()) + " does not match the checksum in its marker";
      }
    }
    return null;
  }

  /** The compute recorded in the markers of a stage's finished tasks (markers without it are skipped). */
  public List<TaskCompute> stageCompute(String runId, String stage) throws IOException {
    List<TaskCompute> measured = new java.util.ArrayList<>();
    for (ObjectInfo object : store.list(new RunLayout(runId).tasks(stage))) {
      if (!object.key().endsWith(".done")) continue;
      String name = object.key().substring(object.key().lastIndexOf('/') + 1);
      readMarker(runId, stage, name.substring(0, name.length() - ".done".length()))
          .map(CompletionMarker::compute).ifPresent(measured::add);
    }
    return measured;
  }

  private Optional<CompletionMarker> readMarker(String runId, String stage, String taskId) throws IOException {
    String key = new RunLayout(runId).taskMarker(stage, taskId);
    try (InputStream in = store.get(key)) {
      return Optional.of(Json.MAPPER.readValue(in, CompletionMarker.class));
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    } catch (JsonProcessingException e) {
      throw new IOException("completion marker " + store.uri(key) + " is corrupt: " + e.getOriginalMessage(), e);
    }
  }

  public void writeError(String runId, String stage, String taskId, int attempt, String reason) throws IOException {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("task", taskId);
    error.put("attempt", attempt);
    error.put("reason", reason);
    error.put("at", Instant.now().toString());
    store.put(new RunLayout(runId).taskError(stage, taskId), Json.MAPPER.writeValueAsBytes(error));
  }

  /** The last recorded failure of a task, or empty. */
  public Optional<String> readError(String runId, String stage, String taskId) throws IOException {
    try (InputStream in = store.get(new RunLayout(runId).taskError(stage, taskId))) {
      return Optional.ofNullable(Json.MAPPER.readTree(in).path("reason").asText(null));
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    }
  }

  /** Records what one ended job of a stage used (one record per job, never rewritten). */
  public void writeJobCompute(String runId, String stage, JobCompute job) throws IOException {
    store.put(new RunLayout(runId).jobCompute(stage, job.jobId()), Json.MAPPER.writeValueAsBytes(job));
  }

  /** Every job record of a stage, in key order; empty when its jobs ran where nothing is metered. */
  public List<JobCompute> stageJobCompute(String runId, String stage) throws IOException {
    List<JobCompute> jobs = new java.util.ArrayList<>();
    for (ObjectInfo object : store.list(new RunLayout(runId).batchRecords(stage))) {
      if (!object.key().endsWith(RunLayout.JOB_COMPUTE)) continue;
      try (InputStream in = store.get(object.key())) {
        jobs.add(Json.MAPPER.readValue(in, JobCompute.class));
      } catch (JsonProcessingException e) {
        throw new IOException("job compute record " + store.uri(object.key()) + " is corrupt: " + e.getOriginalMessage(), e);
      }
    }
    return jobs;
  }

  /** Records that tasks of a stage wait for compute (replaces the previous record). */
  public void writeComputeWait(String runId, String stage, ComputeWait wait) throws IOException {
    store.put(new RunLayout(runId).computeWait(stage), Json.MAPPER.writeValueAsBytes(wait));
  }

  /** The stage's recorded wait for compute, or empty when its tasks are not waiting. */
  public Optional<ComputeWait> readComputeWait(String runId, String stage) throws IOException {
    String key = new RunLayout(runId).computeWait(stage);
    try (InputStream in = store.get(key)) {
      return Optional.of(Json.MAPPER.readValue(in, ComputeWait.class));
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    } catch (JsonProcessingException e) {
      throw new IOException("compute wait record " + store.uri(key) + " is corrupt: " + e.getOriginalMessage(), e);
    }
  }

  public void clearComputeWait(String runId, String stage) throws IOException {
    store.delete(new RunLayout(runId).computeWait(stage));
  }

  private static RunLayout layout(TaskSpec spec) {
    return new RunLayout(spec.runId());
  }
}
