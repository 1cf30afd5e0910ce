package dev.urae.infra.exec;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Verifies tasks an executor reported as succeeded: a process can exit 0 without its task having
 * finished (a worker that swallowed an error, an image running the wrong command). The one
 * implementation is {@link MarkerCompletionCheck}; the stage runs it after every executor.
 */
@FunctionalInterface
public interface CompletionCheck {
  /** Trusts the executor's word. */
  CompletionCheck NONE = tasks -> Map.of();

  /** Of {@code claimed}, the tasks without a completion marker: task id → what is missing. */
  Map<String, String> unfinished(List<TaskRef> claimed) throws IOException;
}
