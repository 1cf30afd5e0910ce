package dev.urae.batch.report;

import java.util.Objects;

/**
 * One held-out prompt rendered by the base model and by the adapted model. Keys are relative to
 * the run's folder ({@code runs/<runId>/}), e.g. {@code render/base/item-7.png}.
 *
 * @param teacherImageKey the teacher's image for the same item, or null when there is none
 */
public record GalleryEntry(
    String itemId, String prompt, long seed, String baseRenderKey, String adaptedRenderKey,
    String teacherImageKey) {
  public GalleryEntry {
    Objects.requireNonNull(itemId, "itemId == null");
    Objects.requireNonNull(prompt, "prompt == null");
    Objects.requireNonNull(baseRenderKey, "baseRenderKey == null");
    Objects.requireNonNull(adaptedRenderKey, "adaptedRenderKey == null");
  }
}
