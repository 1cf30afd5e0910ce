package dev.urae.batch.task;

/**
 * The worker-side code of a stage: runs one task from its spec. Implementations are found with
 * {@link java.util.ServiceLoader} (listed in {@code META-INF/services/dev.urae.batch.task.TaskHandler}),
 * so the worker needs neither Spring nor the job repository: a container runs
 * {@code urae worker --spec URI} and nothing more.
 *
 * <p>A handler writes its outputs through {@link TaskContext#put}, which records them for the
 * completion marker, and throws on failure with a message naming the item and the cause. It
 * must be safe to run again after a crash: outputs already written may be overwritten.
 */
public interface TaskHandler {

  /** The stage this handler serves, e.g. {@code teacher}. */
  String stage();

  void run(TaskSpec spec, TaskContext context) throws Exception;
}
