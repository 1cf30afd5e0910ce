package dev.urae.batch.task;

/**
 * A task failure that running the task again cannot change: bad input, every item refused, an
 * unsupported option. The worker records it next to the task's spec and the stage fails at once
 * with this message instead of retrying. {@link IllegalArgumentException} (how this code base
 * refuses a bad option or input) counts as permanent too, wherever it appears in the cause chain.
 */
public class PermanentTaskFailure extends RuntimeException {
  public PermanentTaskFailure(String message) {
    super(message);
  }

  /** Whether {@code failure} is one that a retry would only repeat. */
  public static boolean isPermanent(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof PermanentTaskFailure || t instanceof IllegalArgumentException) return true;
    }
    return false;
  }
}
