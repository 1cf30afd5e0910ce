package dev.urae.infra.exec;

/** Hears about tasks as they start and end, for progress output. Called from executor threads. */
public interface TaskListener {
  TaskListener NONE = new TaskListener() {};

  default void started(TaskRef task) {}

  /**
   * {@code tasks} (one job's) wait for compute: on AWS Batch a job in RUNNABLE, with its status
   * reason (may be null). Heard again at every poll while the wait lasts.
   */
  default void waiting(java.util.List<TaskRef> tasks, String reason) {}

  default void ended(TaskOutcome outcome) {}

  /**
   * A job has ended and its platform recorded these attempts (on AWS Batch: every array child's
   * attempts, with start and stop times). Heard after the job's tasks ended; an executor that
   * rents no metered compute (the local one) never calls it.
   */
  default void measured(JobCompute job) {}
}
