package dev.urae.batch.report;

/**
 * Items the run did not use: rejected manifest lines and teacher refusals.
 *
 * @param count    how many
 * @param location the key of the rejects file relative to the run folder (e.g.
 *                 {@code input/rejects.jsonl}), or null when there is none
 */
public record Rejects(long count, String location) {
  public static final Rejects NONE = new Rejects(0, null);

  public Rejects {
    if (count < 0) throw new IllegalArgumentException("rejects count < 0: " + count);
  }
}
