package dev.urae.batch.job;

/** A stage failed: tasks that failed (every attempt, or once for good), or outputs that cannot serve; the message says why. */
public final class StageFailedException extends RuntimeException {
  public StageFailedException(String message) {
    super(message);
  }
}
