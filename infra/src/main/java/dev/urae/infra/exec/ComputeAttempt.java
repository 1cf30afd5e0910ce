package dev.urae.infra.exec;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One attempt of one job on rented compute, as the executor's platform recorded it: when it ran,
 * what it reserved, on which kind of capacity, and what that is estimated to have cost.
 *
 * @param jobId        the job (for an array, the child: {@code <parent>:<index>})
 * @param vcpus        vCPUs the job reserved (Fargate allows fractions)
 * @param memoryMib    memory the job reserved
 * @param gpus         GPUs the job reserved
 * @param capacity     {@code SPOT}, {@code ON_DEMAND}, {@code FARGATE}, {@code FARGATE_SPOT}, or
 *                     {@code UNKNOWN} when the platform did not say which of several it was
 * @param instanceType the instance type the estimate assumed, or null (Fargate, or unpriced)
 * @param estimatedUsd the estimated cost, or null when no price applies
 */
public record ComputeAttempt(
    String jobId, Instant startedAt, Instant stoppedAt, double vcpus, long memoryMib, int gpus, String capacity,
    String instanceType, Double estimatedUsd) {
  private static final double SECONDS_PER_HOUR = 3600.0;

  public ComputeAttempt {
    Objects.requireNonNull(jobId, "jobId == null");
    Objects.requireNonNull(startedAt, "startedAt == null");
    Objects.requireNonNull(stoppedAt, "stoppedAt == null");
    Objects.requireNonNull(capacity, "capacity == null");
    if (stoppedAt.isBefore(startedAt)) throw new IllegalArgumentException("job " + jobId + " stopped before it started");
    if (vcpus < 0 || memoryMib < 0 || gpus < 0) throw new IllegalArgumentException("job " + jobId + ": negative resources");
  }

  public double hours() {
    return Duration.between(startedAt, stoppedAt).toMillis() / 1000.0 / SECONDS_PER_HOUR;
  }

  public double gpuHours() {
    return gpus * hours();
  }

  public double vcpuHours() {
    return vcpus * hours();
  }
}
