package dev.urae.infra.exec;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs tasks on a bounded pool of threads in this process (the embedded default). The worker
 * code is the same that runs inside a container on AWS Batch; only the transport differs.
 *
 * <p>Tasks of GPU stages (those that load the base model) run one per visible GPU: each holds a
 * device ({@code cuda:N}) from a pool while it runs, and waits for one otherwise. Without GPUs,
 * and for every other stage, tasks run on {@code cpu} as many at once as the pool has threads.
 */
public final class LocalTaskExecutor implements TaskExecutor {
  private final int parallelism;
  private final TaskRunner runner;
  private final ExecutorService pool;
  private final Set<String> gpuStages;
  private final Supplier<List<String>> gpuDevices;
  private BlockingQueue<String> freeGpus; // built on the first GPU task: finding GPUs loads PyTorch
  private boolean hasGpus;
  private final Map<String, List<Future<?>>> running = new java.util.concurrent.ConcurrentHashMap<>();

  /** An executor for CPU-only work: every task runs on {@code cpu}. */
  public LocalTaskExecutor(int parallelism, TaskRunner runner) {
    this(parallelism, runner, Set.of(), List::of);
  }

  /**
   * @param gpuStages  the stages whose tasks need a GPU when there is one
   * @param gpuDevices the devices to hand out, asked once, on the first task of a GPU stage
   */
  public LocalTaskExecutor(int parallelism, TaskRunner runner, Set<String> gpuStages, Supplier<List<String>> gpuDevices) {
    if (parallelism < 1) throw new IllegalArgumentException("parallelism < 1: " + parallelism);
    this.parallelism = parallelism;
    this.runner = Objects.requireNonNull(runner, "runner == null");
    this.gpuStages = Set.copyOf(gpuStages);
    this.gpuDevices = Objects.requireNonNull(gpuDevices, "gpuDevices == null");
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
    String gpu;
    try {
      gpu = gpuStages.contains(task.stage()) ? takeGpu() : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return TaskOutcome.failed(task, "cancelled while waiting for a GPU", Duration.ZERO);
    }
    long start = System.nanoTime();
    listener.started(task);
    TaskOutcome outcome;
    try {
      runner.run(task, gpu == null ? VisibleGpus.CPU : gpu);
      outcome = TaskOutcome.succeeded(task, Duration.ofNanos(System.nanoTime() - start));
    } catch (Throwable e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      outcome = TaskOutcome.failed(task, Causes.describe(e), Duration.ofNanos(System.nanoTime() - start));
    } finally {
      if (gpu != null) freeGpus.add(gpu);
    }
    listener.ended(outcome);
    return outcome;
  }

  /** A free GPU, waiting for one when all are busy; null when this machine has none. */
  private String takeGpu() throws InterruptedException {
    BlockingQueue<String> gpus;
    synchronized (this) {
      if (freeGpus == null) {
        List<String> devices = gpuDevices.get();
        freeGpus = new LinkedBlockingQueue<>(devices);
        hasGpus = !devices.isEmpty();
      }
      if (!hasGpus) return null;
      gpus = freeGpus;
    }
    return gpus.take();
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
