package dev.urae.infra.exec;

/** Hears about tasks as they start and end, for progress output. Called from executor threads. */
public interface TaskListener {
  TaskListener NONE = new TaskListener() {};

  default void started(TaskRef task) {}

  default void ended(TaskOutcome outcome) {}
}
