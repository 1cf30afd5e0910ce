package dev.urae.batch.job;

/** A stage ended with tasks that failed every attempt; the message names them and why. */
public final class StageFailedException extends RuntimeException {
  public StageFailedException(String message) {
    super(message);
  }
}
