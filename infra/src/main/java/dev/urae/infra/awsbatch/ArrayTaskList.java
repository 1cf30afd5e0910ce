package dev.urae.infra.awsbatch;

import dev.urae.infra.store.ObjectLocation;
import dev.urae.infra.store.ObjectStore;
import dev.urae.infra.store.ObjectStores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * How an array child knows its task: the orchestrator writes the spec URIs of one array job,
 * one per line in child order, to a text object; the child reads line
 * {@code AWS_BATCH_JOB_ARRAY_INDEX}. The list is written before the job is submitted and never
 * changed, so every child (and every retry of a child) sees the same assignment.
 */
public final class ArrayTaskList {
  /** Set by AWS Batch in every array child. */
  public static final String ARRAY_INDEX_VARIABLE = "AWS_BATCH_JOB_ARRAY_INDEX";
  /** Set by the executor: the task list of an array job. */
  public static final String TASK_LIST_VARIABLE = "URAE_TASK_LIST";
  /** Set by the executor: the task spec of a single job. */
  public static final String TASK_SPEC_VARIABLE = "URAE_TASK_SPEC";

  private ArrayTaskList() {}

  /** Writes the list; returns its full URI for the container overrides. */
  public static URI write(ObjectStore store, String key, List<URI> specs) throws IOException {
    StringBuilder text = new StringBuilder(specs.size() * 96);
    for (URI spec : specs) text.append(spec).append('\n');
    store.put(key, text.toString().getBytes(StandardCharsets.UTF_8));
    return store.uri(key);
  }

  /** Line {@code index} of a task list read from {@code in}. */
  public static URI pick(InputStream in, int index, URI listUri) throws IOException {
    if (index < 0) throw new IllegalArgumentException(ARRAY_INDEX_VARIABLE + " is negative: " + index);
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line = null;
      for (int i = 0; i <= index; i++) {
        line = reader.readLine();
        if (line == null) {
          throw new IOException("task list " + listUri + " has only " + i + " lines; array index " + index + " has no task");
        }
      }
      return URI.create(line.trim());
    }
  }

  /** Line {@code index} of the task list at {@code listUri}, opened through {@link ObjectStores}. */
  public static URI pick(URI listUri, int index) throws IOException {
    ObjectLocation location = ObjectLocation.parse(listUri.toString());
    try (ObjectStore store = ObjectStores.open(location.storeRoot());
         InputStream in = store.get(location.key())) {
      return pick(in, index, listUri);
    }
  }

  /**
   * The task spec this container must run, from its environment: {@code URAE_TASK_SPEC} for a
   * single job, else line {@code AWS_BATCH_JOB_ARRAY_INDEX} of {@code URAE_TASK_LIST}.
   */
  public static URI specFromEnvironment(Map<String, String> environment) throws IOException {
    String spec = environment.get(TASK_SPEC_VARIABLE);
    if (spec != null && !spec.isBlank()) return URI.create(spec.trim());
    String list = environment.get(TASK_LIST_VARIABLE);
    if (list == null || list.isBlank()) {
      throw new IllegalStateException("neither " + TASK_SPEC_VARIABLE + " nor " + TASK_LIST_VARIABLE
          + " is set: pass --spec URI, or run inside an AWS Batch job submitted by urae");
    }
    return pick(URI.create(list.trim()), arrayIndex(environment));
  }

  /** {@code AWS_BATCH_JOB_ARRAY_INDEX}, or 0 outside an array job. */
  public static int arrayIndex(Map<String, String> environment) {
    String index = environment.get(ARRAY_INDEX_VARIABLE);
    if (index == null || index.isBlank()) return 0;
    try {
      return Integer.parseInt(index.trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException(ARRAY_INDEX_VARIABLE + " is not a number: " + index, e);
    }
  }
}
