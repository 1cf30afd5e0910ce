package dev.urae.batch.task;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * What one task's run cost in compute, measured by the worker around the task's code: the wall
 * time and the CPU time of the worker thread. Threads the task's libraries start themselves
 * (PyTorch's intra-op pool) are not counted, so CPU time is a lower bound.
 *
 * @param wallMillis wall-clock time of the task's code
 * @param cpuMillis  CPU time of the worker thread, or -1 when the JVM cannot measure it
 */
public record TaskCompute(long wallMillis, long cpuMillis) {
  public TaskCompute {
    if (wallMillis < 0) throw new IllegalArgumentException("wallMillis < 0: " + wallMillis);
    if (cpuMillis < -1) throw new IllegalArgumentException("cpuMillis < -1: " + cpuMillis);
  }

  /** Starts measuring on the calling thread; {@link Stopwatch#stop} must be called on the same thread. */
  public static Stopwatch start() {
    return new Stopwatch(System.nanoTime(), threadCpuNanos());
  }

  private static long threadCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
  }

  /** A running measurement. */
  public record Stopwatch(long startNanos, long startCpuNanos) {
    public TaskCompute stop() {
      long cpu = threadCpuNanos();
      long cpuMillis = startCpuNanos < 0 || cpu < 0 ? -1 : (cpu - startCpuNanos) / 1_000_000;
      return new TaskCompute((System.nanoTime() - startNanos) / 1_000_000, cpuMillis);
    }
  }
}
