package dev.urae.batch.run;

import org.springframework.batch.core.BatchStatus;

/**
 * What {@code urae run} or {@code urae resume} led to.
 *
 * @param started whether this call ran the job (false: an existing run already covers it)
 * @param status  the run's status after the call
 * @param message one line for the user: where results are, or which run covers the request
 */
public record LaunchOutcome(String runId, boolean started, BatchStatus status, String message) {
  public boolean succeeded() {
    return status == BatchStatus.COMPLETED;
  }
}
