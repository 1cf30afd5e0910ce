package dev.urae.batch.teacher;

import java.util.Objects;

/**
 * A teacher declined one item. Recorded per item (with the stage's rejects) and never fatal
 * to the shard: the item simply has no training image.
 *
 * @param itemId the request's item id
 * @param reason why, in a word: {@link #CONTENT_MODERATED}, {@link #REQUEST_MODERATED}, ...
 * @param detail what the teacher said, for the user; may be empty
 */
public record Refusal(String itemId, String reason, String detail) implements TeacherResult {
  /** The service declined to return the generated image. */
  public static final String CONTENT_MODERATED = "content-moderated";
  /** The service declined the prompt itself. */
  public static final String REQUEST_MODERATED = "request-moderated";
  /** The dataset image chosen for the item cannot serve at the target size. */
  public static final String UNUSABLE_SOURCE = "unusable-source";
  /** The request asks for something the teacher cannot do (an aspect ratio out of range). */
  public static final String UNSUPPORTED_REQUEST = "unsupported-request";

  public Refusal {
    Objects.requireNonNull(itemId, "itemId == null");
    Objects.requireNonNull(reason, "reason == null");
    detail = detail == null ? "" : detail;
  }

  @Override
  public String toString() {
    return "item " + itemId + " refused (" + reason + ")" + (detail.isEmpty() ? "" : ": " + detail);
  }
}
