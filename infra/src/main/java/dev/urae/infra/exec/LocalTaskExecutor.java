package dev.urae.infra.exec;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks on a bounded pool of threads in this process (the embedded default). The worker
 * code is the same that runs inside a container on AWS Batch; only the transport differs.
 */
public final class LocalTaskExecutor implements TaskExecutor {
  private final int parallelism;
  private final TaskRunner runner;
  private final ExecutorService pool;
  private final Map<String, List<Future<?>>> running = new java.util.concurrent.ConcurrentHashMap<>();

  public LocalTaskExecutor(int parallelism, TaskRunner runner) {
    if (parallelism < 1) throw new IllegalArgumentException("parallelism < 1: " + parallelism);
    this.parallelism = parallelism;
    this.runner = Objects.requireNonNull(runner, "runner == null");
    AtomicInteger threads = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, "urae-task-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** One thread per core, at least one. */
  public static int defaultParallelism() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public String name() {
    return "local(" + parallelism + ")";
  }

  @Override
  public Map<String, TaskOutcome> runAll(List<TaskRef> tasks, TaskListener listener)
      throws InterruptedException {
    Map<String, Future<TaskOutcome>> futures = new LinkedHashMap<>();
    for (TaskRef task : tasks) {
      futures.put(task.taskId(), pool.submit(() -> runOne(task, listener)));
    }
    tasks.stream().map(TaskRef::runId).distinct().forEach(
        run -> running.computeIfAbsent(run, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
            .addAll(futures.values()));
    Map<String, TaskOutcome> outcomes = new LinkedHashMap<>();
    try {
      for (TaskRef task : tasks) {
        outcomes.put(task.taskId(), futures.get(task.taskId()).get());
      }
    } catch (InterruptedException e) {
      futures.values().forEach(f -> f.cancel(true));
      throw e;
    } catch (ExecutionException e) {
      throw new IllegalStateException("task wrapper failed unexpectedly", e.getCause());
    } finally {
      tasks.stream().map(TaskRef::runId).distinct().forEach(running::remove);
    }
    return outcomes;
  }

  private TaskOutcome runOne(TaskRef task, TaskListener listener) {
    long start = System.nanoTime();
    listener.started(task);
    TaskOutcome outcome;
    try {
      runner.run(task);
      outcome = TaskOutcome.succeeded(task, Duration.ofNanos(System.nanoTime() - start));
    } catch (Throwable e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      outcome = TaskOutcome.failed(task, Causes.describe(e), Duration.ofNanos(System.nanoTime() - start));
    }
    listener.ended(outcome);
    return outcome;
  }

  @Override
  public void cancel(String runId) {
    List<Future<?>> futures = running.remove(runId);
    if (futures != null) futures.forEach(f -> f.cancel(true));
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
