package dev.urae.batch.task;

import dev.urae.infra.store.ObjectInfo;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Proof that a task finished: written last, after every output, under
 * {@code tasks/<stage>/<taskId>.done}. It lists each output with its size and SHA-256 so that
 * a stage can tell a finished task from one that crashed half way, or whose outputs were lost.
 * It also records what the task's run cost in compute ({@code compute}: null in markers written
 * before it was measured).
 */
public record CompletionMarker(
    String runId, String stage, String taskId, Instant finishedAt, List<ObjectInfo> outputs, TaskCompute compute) {
  public CompletionMarker {
    Objects.requireNonNull(runId, "runId == null");
    Objects.requireNonNull(stage, "stage == null");
    Objects.requireNonNull(taskId, "taskId == null");
    Objects.requireNonNull(finishedAt, "finishedAt == null");
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
  }
}
