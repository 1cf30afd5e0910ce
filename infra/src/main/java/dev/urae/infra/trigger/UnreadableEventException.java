package dev.urae.infra.trigger;

/** A queue message that is not an S3 event this watcher understands: a poison message. */
public class UnreadableEventException extends Exception {
  public UnreadableEventException(String message) {
    super(message);
  }

  public UnreadableEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
