package dev.urae.batch.teacher;

/** The teacher did not finish an item within its overall timeout. */
public class TeacherTimeoutException extends TeacherException {
  public TeacherTimeoutException(String itemId, String message) {
    super(itemId, message);
  }
}
