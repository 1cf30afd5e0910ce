package dev.urae.batch.teacher;

import java.util.Objects;

/**
 * What the stage asks of a teacher for one manifest item.
 *
 * @param itemId       the manifest item's id, used in file names and messages
 * @param prompt       the text the image should show
 * @param seed         the item's seed; teachers that sample use it, the dataset teacher uses it
 *                     to pick an image deterministically
 * @param width        the target width in pixels, a positive multiple of 16
 * @param height       the target height in pixels, a positive multiple of 16
 * @param outputFormat the encoding asked of a remote service; results are always PNG
 */
public record TeacherRequest(
    String itemId, String prompt, long seed, int width, int height, ImageFormat outputFormat) {

  public TeacherRequest {
    Objects.requireNonNull(itemId, "itemId == null");
    Objects.requireNonNull(prompt, "prompt == null");
    Objects.requireNonNull(outputFormat, "outputFormat == null");
    if (itemId.isBlank()) throw new IllegalArgumentException("itemId is blank");
    checkSide("width", width);
    checkSide("height", height);
  }

  /** A PNG request, the usual case. */
  public TeacherRequest(String itemId, String prompt, long seed, int width, int height) {
    this(itemId, prompt, seed, width, height, ImageFormat.PNG);
  }

  private static void checkSide(String field, int value) {
    if (value <= 0 || value % 16 != 0) {
      throw new IllegalArgumentException(field + " must be a positive multiple of 16, got " + value);
    }
  }
}
