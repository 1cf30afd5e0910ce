package dev.urae.infra.awsbatch;

import dev.urae.infra.exec.TaskRef;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Verifies tasks AWS Batch reported as SUCCEEDED: a job can exit 0 without its task having
 * finished (a worker that swallowed an error, an image running the wrong command). The stage
 * checks markers fully; this check lets the executor say so in the outcome itself.
 */
@FunctionalInterface
public interface CompletionCheck {
  /** Trusts AWS Batch's word. */
  CompletionCheck NONE = tasks -> Map.of();

  /** Of {@code claimed}, the tasks without a valid completion marker: task id → what is missing. */
  Map<String, String> unfinished(List<TaskRef> claimed) throws IOException;
}
