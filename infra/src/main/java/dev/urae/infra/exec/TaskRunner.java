package dev.urae.infra.exec;

/**
 * Runs one task to completion in this process: the worker's entry point. It reads the spec,
 * does the work, writes the outputs and finally the completion marker; it throws on failure.
 */
@FunctionalInterface
public interface TaskRunner {
  void run(TaskRef task) throws Exception;
}
