package dev.urae.batch.report;

import java.util.Objects;

/**
 * What one stage's AWS Batch jobs used, from the attempts AWS Batch recorded: hours of GPUs and
 * vCPUs reserved, hours by kind of capacity, and the estimated cost.
 *
 * @param name                 the stage
 * @param attempts             attempts that ran (a Spot reclaim and its retry are two)
 * @param gpuHours             GPUs reserved × hours, summed over attempts
 * @param vcpuHours            vCPUs reserved × hours, summed over attempts
 * @param spotHours            attempt-hours on EC2 Spot
 * @param onDemandHours        attempt-hours on EC2 on-demand
 * @param fargateHours         attempt-hours on Fargate (and Fargate Spot)
 * @param unknownCapacityHours attempt-hours AWS did not say the capacity of (priced as on-demand)
 * @param estimatedUsd         the estimated cost of the attempts that have a price
 * @param unpricedAttempts     attempts no price applied to (not in {@code estimatedUsd})
 * @param prices               the price table the estimate comes from, with its date
 */
public record StageBatchCompute(
    String name, int attempts, double gpuHours, double vcpuHours, double spotHours, double onDemandHours,
    double fargateHours, double unknownCapacityHours, double estimatedUsd, int unpricedAttempts, String prices) {

  public StageBatchCompute {
    Objects.requireNonNull(name, "name == null");
    prices = prices == null ? "" : prices;
    if (attempts < 0 || unpricedAttempts < 0 || gpuHours < 0 || vcpuHours < 0 || estimatedUsd < 0) {
      throw new IllegalArgumentException("compute figures must be >= 0 for stage " + name);
    }
  }
}
