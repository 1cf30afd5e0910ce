package dev.urae.infra.awsbatch;

/** Where the task list of one array job is written: the store layout is the caller's. */
@FunctionalInterface
public interface TaskListKeys {
  /** The store key of the task list for array job {@code jobName} of {@code runId}'s {@code stage}. */
  String key(String runId, String stage, String jobName);
}
