package dev.urae.batch.teacher;

import java.io.IOException;

/** A teacher failed to answer for one item; the message names the item and the cause. */
public class TeacherException extends IOException {
  private final String itemId;

  public TeacherException(String itemId, String message) {
    this(itemId, message, null);
  }

  public TeacherException(String itemId, String message, Throwable cause) {
    super("teacher failed for item " + itemId + ": " + message, cause);
    this.itemId = itemId;
  }

  /** The item that failed. */
  public String itemId() {
    return itemId;
  }
}
