package dev.urae.batch.report;

import java.util.List;
import java.util.Objects;

/**
 * One held-out prompt and the images the gallery shows for it, one per column, all from the
 * same seed (e.g. teacher (truth) | base at its native resolution | base at the target | adapted
 * at the target). Keys are relative to the run's folder ({@code runs/<runId>/}), e.g.
 * {@code render/base/item-7.png}.
 */
public record GalleryEntry(String itemId, String prompt, long seed, List<Panel> panels) {

  /** One image of the row: its column's heading and its key, or a null key when the item has none. */
  public record Panel(String column, String key) {
    public Panel {
      Objects.requireNonNull(column, "column == null");
    }
  }

  public GalleryEntry {
    Objects.requireNonNull(itemId, "itemId == null");
    Objects.requireNonNull(prompt, "prompt == null");
    panels = List.copyOf(panels);
    if (panels.isEmpty()) throw new IllegalArgumentException("a gallery entry needs at least one panel: " + itemId);
  }
}
