package dev.urae.infra.exec;

/**
 * Runs one task to completion in this process: the worker's entry point. It reads the spec,
 * does the work, writes the outputs and finally the completion marker; it throws on failure.
 */
@FunctionalInterface
public interface TaskRunner {
  /**
   * @param device where the task's tensors go: {@code cpu} or {@code cuda:N}, chosen by the
   *               executor (one GPU task per device) or from the worker's environment ({@link VisibleGpus})
   */
  void run(TaskRef task, String device) throws Exception;
}
