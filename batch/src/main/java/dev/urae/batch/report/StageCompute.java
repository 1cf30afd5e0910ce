package dev.urae.batch.report;

import java.util.Objects;

/**
 * The compute one stage's tasks used, summed over the tasks whose completion markers recorded it.
 * CPU time is the worker threads' only (libraries' own thread pools are not counted).
 *
 * @param name       the stage
 * @param tasks      tasks whose compute was measured
 * @param wallMillis the tasks' wall-clock times, summed (tasks running in parallel each count)
 * @param cpuMillis  the worker threads' CPU times, summed
 */
public record StageCompute(String name, int tasks, long wallMillis, long cpuMillis) {
  private static final double MILLIS_PER_HOUR = 3_600_000.0;

  public StageCompute {
    Objects.requireNonNull(name, "name == null");
    if (tasks < 0 || wallMillis < 0 || cpuMillis < 0) {
      throw new IllegalArgumentException("compute figures must be >= 0 for stage " + name);
    }
  }

  /** CPU time in hours, the unit compute is billed in. */
  public double cpuHours() {
    return cpuMillis / MILLIS_PER_HOUR;
  }
}
