package dev.urae.batch.teacher;

import java.util.Objects;
import java.util.Optional;

/**
 * An image produced for one item.
 *
 * @param itemId  the request's item id
 * @param png     the PNG-encoded image, {@code width × height}, RGB
 * @param width   pixel width, a multiple of 16 (the request's, or the aspect bucket's for
 *                the dataset teacher)
 * @param height  pixel height, a multiple of 16
 * @param prompt  the short text the image goes with in the training set (URAE's {@code prompt}):
 *                the request's prompt, or the teacher's own when it captions the image itself
 *                (a dataset's caption, the demo teacher's deliberately wrong captions)
 * @param caption the teacher's detailed description of the image (URAE's
 *                {@code generated_prompt}), or null when it has none
 * @param source  where the image came from, for provenance: a task id, a dataset key
 */
public record TeacherImage(
    String itemId, byte[] png, int width, int height, String prompt, String caption, String source)
    implements TeacherResult {

  public TeacherImage {
    Objects.requireNonNull(itemId, "itemId == null");
    Objects.requireNonNull(png, "png == null");
    Objects.requireNonNull(prompt, "prompt == null");
    Objects.requireNonNull(source, "source == null");
    if (png.length == 0) throw new IllegalArgumentException("png is empty for item " + itemId);
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("size must be positive, got " + width + "x" + height);
    }
  }

  public Optional<String> captionIfAny() {
    return Optional.ofNullable(caption);
  }

  /** URAE's {@code generated_prompt}: the caption when there is one, else the prompt. */
  public String generatedPrompt() {
    return caption != null ? caption : prompt;
  }

  @Override
  public String toString() {
    return "TeacherImage[" + itemId + ", " + width + "x" + height + ", " + png.length
        + " bytes, source=" + source + "]";
  }
}
