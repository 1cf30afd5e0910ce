package dev.urae.batch.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a worker needs to run one task, written as JSON under
 * {@code runs/<runId>/tasks/<stage>/<taskId>.json}. A spec is self-contained: the worker reads
 * nothing from the job repository, so the same spec runs in-process or in a container.
 *
 * @param store  root URI of the object store the keys below are relative to
 * @param inputs object keys the task reads
 * @param params stage-specific parameters (the run's options and what the planner adds), read-only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskSpec(
    String runId, String stage, String taskId, URI store, List<String> inputs, Map<String, String> params) {

  @JsonCreator
  public TaskSpec {
    Objects.requireNonNull(runId, "runId == null");
    Objects.requireNonNull(stage, "stage == null");
    Objects.requireNonNull(taskId, "taskId == null");
    Objects.requireNonNull(store, "store == null");
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** A spec whose parameters are the fields of a JSON object, each taken as text. */
  public TaskSpec(String runId, String stage, String taskId, URI store, List<String> inputs, ObjectNode params) {
    this(runId, stage, taskId, store, inputs, texts(params));
  }

  /** This spec with one more parameter (or another value for it). */
  public TaskSpec withParam(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(params);
    more.put(Objects.requireNonNull(name, "name == null"), Objects.requireNonNull(value, "value == null"));
    return new TaskSpec(runId, stage, taskId, store, inputs, more);
  }

  private static Map<String, String> texts(ObjectNode params) {
    Map<String, String> texts = new LinkedHashMap<>();
    if (params != null) params.fields().forEachRemaining(e -> texts.put(e.getKey(), e.getValue().asText()));
    return texts;
  }

  /** A string parameter, or {@code fallback} when absent. */
  public String param(String name, String fallback) {
    return params.getOrDefault(name, fallback);
  }

  /** A required string parameter; a missing one is a bug in the stage that planned the task. */
  public String requireParam(String name) {
    String value = params.get(name);
    if (value == null) {
      throw new IllegalArgumentException("task " + stage + "/" + taskId + " has no parameter '" + name + "'");
    }
    return value;
  }
}
