package dev.urae.batch.stages;

import dev.urae.batch.ingest.ManifestItems;
import dev.urae.batch.manifest.ManifestItem;
import dev.urae.infra.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Which items train and which are rendered. Items tagged {@code "split": "render"} are held out:
 * the teacher never sees them and they are rendered by the base and the adapted model. When no
 * item is tagged, the first {@code render.count} items are rendered (and also trained on).
 */
public final class ItemSplit {
  public static final String TAG = "split";
  public static final String RENDER = "render";

  private ItemSplit() {}

  public static boolean heldOut(ManifestItem item) {
    return RENDER.equals(item.tags().get(TAG));
  }

  public static List<ManifestItem> read(ObjectStore store, String shardKey) throws IOException {
    try (InputStream in = store.get(shardKey)) {
      return ManifestItems.readShard(in);
    }
  }

  public static List<ManifestItem> training(ObjectStore store, String shardKey) throws IOException {
    return read(store, shardKey).stream().filter(i -> !heldOut(i)).toList();
  }

  /** The items to render, over all shards. */
  public static List<ManifestItem> rendered(ObjectStore store, List<String> shardKeys, int fallbackCount) throws IOException {
    List<ManifestItem> all = new ArrayList<>();
    for (String key : shardKeys) all.addAll(read(store, key));
    List<ManifestItem> held = all.stream().filter(ItemSplit::heldOut).toList();
    return held.isEmpty() ? all.subList(0, Math.min(fallbackCount, all.size())) : held;
  }
}
