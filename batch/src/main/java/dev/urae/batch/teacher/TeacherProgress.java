package dev.urae.batch.teacher;

/**
 * Told about each item of a {@link TeacherBatch} as it ends. Called from worker threads, one
 * call at a time (calls are serialised), so implementations need no locking of their own.
 */
@FunctionalInterface
public interface TeacherProgress {
  TeacherProgress NONE = (outcome, completed, total) -> {};

  /**
   * @param outcome   how the item ended
   * @param completed how many items of the batch have ended so far, this one included
   * @param total     the batch size
   */
  void itemDone(TeacherOutcome outcome, int completed, int total);
}
