package dev.urae.infra.exec;

import java.net.URI;
import java.util.Objects;

/**
 * One task of a stage, as an executor sees it: who it belongs to and where its spec lies. The
 * spec itself (inputs, parameters) is read by the worker, never by the executor.
 *
 * @param runId  the run it belongs to
 * @param stage  the stage name, e.g. {@code teacher}
 * @param taskId unique within the stage, e.g. {@code shard-00003}
 * @param spec   the full URI of the task spec JSON in the object store
 */
public record TaskRef(String runId, String stage, String taskId, URI spec) {
  public TaskRef {
    Objects.requireNonNull(runId, "runId == null");
    Objects.requireNonNull(stage, "stage == null");
    Objects.requireNonNull(taskId, "taskId == null");
    Objects.requireNonNull(spec, "spec == null");
  }

  @Override
  public String toString() {
    return stage + "/" + taskId;
  }
}
