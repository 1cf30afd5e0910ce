package dev.urae.infra.exec;

import java.util.List;
import java.util.Objects;

/**
 * What one ended job used: its attempts on metered compute and the price table their estimated
 * costs come from.
 *
 * @param jobId  the job (for an array job, the parent)
 * @param prices where the prices come from, e.g. {@code on-demand list prices, us-east-1, 2025-06; Spot at 50% of on-demand}
 */
public record JobCompute(String jobId, String prices, List<ComputeAttempt> attempts) {
  public JobCompute {
    Objects.requireNonNull(jobId, "jobId == null");
    prices = prices == null ? "" : prices;
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
  }
}
