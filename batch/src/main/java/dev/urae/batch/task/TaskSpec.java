package dev.urae.batch.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Everything a worker needs to run one task, written as JSON under
 * {@code runs/<runId>/tasks/<stage>/<taskId>.json}. A spec is self-contained: the worker reads
 * nothing from the job repository, so the same spec runs in-process or in a container.
 *
 * @param store  root URI of the object store the keys below are relative to
 * @param inputs object keys the task reads
 * @param params stage-specific parameters
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskSpec(
    String runId, String stage, String taskId, URI store, List<String> inputs, ObjectNode params) {

  public TaskSpec {
    Objects.requireNonNull(runId, "runId == null");
    Objects.requireNonNull(stage, "stage == null");
    Objects.requireNonNull(taskId, "taskId == null");
    Objects.requireNonNull(store, "store == null");
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    params = params == null ? JsonNodeFactory.instance.objectNode() : params;
  }

  /** A string parameter, or {@code fallback} when absent. */
  public String param(String name, String fallback) {
    JsonNode value = params.get(name);
    return value == null || value.isNull() ? fallback : value.asText();
  }

  /** A required string parameter; a missing one is a bug in the stage that planned the task. */
  public String requireParam(String name) {
    JsonNode value = params.get(name);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("task " + stage + "/" + taskId + " has no parameter '" + name + "'");
    }
    return value.asText();
  }
}
