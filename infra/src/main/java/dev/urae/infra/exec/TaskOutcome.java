package dev.urae.infra.exec;

import java.time.Duration;
import java.util.Objects;

/**
 * How one attempt of a task ended, as the executor saw it. A {@code SUCCEEDED} outcome is a
 * claim, not proof: the stage still checks the task's completion marker.
 *
 * @param reason why it failed, in the task's own words (empty on success)
 */
public record TaskOutcome(TaskRef task, Status status, String reason, Duration elapsed) {
  public enum Status {
    SUCCEEDED,
    FAILED
  }

  public TaskOutcome {
    Objects.requireNonNull(task, "task == null");
    Objects.requireNonNull(status, "status == null");
    reason = reason == null ? "" : reason;
    Objects.requireNonNull(elapsed, "elapsed == null");
  }

  public static TaskOutcome succeeded(TaskRef task, Duration elapsed) {
    return new TaskOutcome(task, Status.SUCCEEDED, "", elapsed);
  }

  public static TaskOutcome failed(TaskRef task, String reason, Duration elapsed) {
    return new TaskOutcome(task, Status.FAILED, reason, elapsed);
  }

  public boolean succeeded() {
    return status == Status.SUCCEEDED;
  }
}
