package dev.urae.infra.exec;

import java.util.List;
import java.util.Map;

/**
 * Where tasks run: threads of this process on the embedded default, AWS Batch array jobs in
 * production. An executor runs exactly one attempt of each task it is given; retries are the
 * stage's decision, so they behave the same on every executor.
 */
public interface TaskExecutor extends AutoCloseable {

  /** A short name for logs and {@code urae status}, e.g. {@code local(2)} or {@code aws-batch}. */
  String name();

  /**
   * Runs one attempt of every task and returns when all have ended, with one outcome per task id.
   * The listener hears each start and end as it happens.
   *
   * @throws InterruptedException when the caller is interrupted; running tasks are then cancelled
   */
  Map<String, TaskOutcome> runAll(List<TaskRef> tasks, TaskListener listener)
      throws InterruptedException;

  /** Stops everything this executor started for {@code runId}. Safe to call more than once. */
  void cancel(String runId);

  @Override
  default void close() {}
}
