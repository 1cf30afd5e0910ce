package dev.urae.infra.exec;

import dev.urae.infra.store.ObjectInfo;
import dev.urae.infra.store.ObjectStore;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A task is finished when its non-empty completion marker exists; where a task's marker lies is
 * the caller's layout ({@code markerKey}). Markers are found by listing each marker folder once,
 * so checking 10,000 tasks costs about ten listing requests on S3, not 10,000 GETs or HEADs.
 */
public final class MarkerCompletionCheck implements CompletionCheck {
  private final ObjectStore store;
  private final Function<TaskRef, String> markerKey;

  /**
   * @param store     where the markers lie
   * @param markerKey the store key of a task's completion marker
   */
  public MarkerCompletionCheck(ObjectStore store, Function<TaskRef, String> markerKey) {
    this.store = Objects.requireNonNull(store, "store == null");
    this.markerKey = Objects.requireNonNull(markerKey, "markerKey == null");
  }

  @Override
  public Map<String, String> unfinished(List<TaskRef> claimed) throws IOException {
    Map<String, String> markerKeys = new LinkedHashMap<>();
    for (TaskRef task : claimed) markerKeys.put(task.taskId(), markerKey.apply(task));
    Set<String> folders = markerKeys.values().stream()
        .map(k -> k.substring(0, k.lastIndexOf('/') + 1)).collect(Collectors.toSet());
    Map<String, Long> present = new HashMap<>();
    for (String folder : folders) {
      for (ObjectInfo info : store.list(folder)) present.put(info.key(), info.size());
    }
    Map<String, String> missing = new LinkedHashMap<>();
    markerKeys.forEach((taskId, key) -> {
      Long size = present.get(key);
      if (size == null) missing.put(taskId, "no completion marker at " + store.uri(key));
      else if (size == 0) missing.put(taskId, "empty completion marker at " + store.uri(key));
    });
    return missing;
  }
}
