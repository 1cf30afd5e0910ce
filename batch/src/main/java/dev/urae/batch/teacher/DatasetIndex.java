package dev.urae.batch.teacher;

import dev.urae.infra.store.ObjectInfo;
import dev.urae.infra.store.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The captioned images under one object-store prefix, in key order, as the
 * {@link DatasetTeacher} layout defines them: {@code <name>.png|.jpg|.jpeg} paired with
 * {@code <name>.json} or {@code <name>.txt} in the same folder. Images without a caption are left
 * out (and counted), because a training image needs its text.
 */
final class DatasetIndex {
  private static final List<String> IMAGE_EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

  /** One usable image and the object holding its caption. */
  record Entry(String imageKey, String captionKey, long imageSize) {}

  private final List<Entry> entries;
  private final int uncaptioned;
  private final String contentHash;

  private DatasetIndex(List<Entry> entries, int uncaptioned, String contentHash) {
    this.entries = List.copyOf(entries);
    this.uncaptioned = uncaptioned;
    this.contentHash = contentHash;
  }

  static DatasetIndex scan(ObjectStore store, String prefix) throws IOException {
    List<ObjectInfo> objects = store.list(prefix);
    Map<String, ObjectInfo> byKey = new HashMap<>();
    for (ObjectInfo object : objects) byKey.put(object.key(), object);
    List<Entry> entries = new ArrayList<>();
    int uncaptioned = 0;
    MessageDigest listing = sha256();
    for (ObjectInfo object : objects) {
      String key = object.key();
      String name = key.substring(key.lastIndexOf('/') + 1);
      if (name.startsWith(".")) continue; // hidden files and temporaries of writers
      String stem = imageStem(key);
      if (stem == null) continue;
      String captionKey = byKey.containsKey(stem + ".json") ? stem + ".json"
          : byKey.containsKey(stem + ".txt") ? stem + ".txt" : null;
      if (captionKey == null) {
        uncaptioned++;
        continue;
      }
      entries.add(new Entry(key, captionKey, object.size()));
      // The fingerprint follows names and sizes: a replaced or added image changes it.
      update(listing, key + "\t" + object.size() + "\t" + captionKey + "\t" + byKey.get(captionKey).size() + "\n");
    }
    return new DatasetIndex(entries, uncaptioned, HexFormat.of().formatHex(listing.digest()));
  }

  List<Entry> entries() {
    return entries;
  }

  int size() {
    return entries.size();
  }

  int uncaptioned() {
    return uncaptioned;
  }

  /** SHA-256 over the listing (keys and sizes of images and captions). */
  String contentHash() {
    return contentHash;
  }

  /**
   * The image for one item: a hash of the item id and seed picks an index, so the choice is the
   * same on every machine and in every run over the same dataset, and independent of which shard
   * (or in what order) the item is processed.
   */
  Entry pick(String itemId, long seed) {
    Objects.requireNonNull(itemId, "itemId == null");
    if (entries.isEmpty()) throw new IllegalStateException("empty dataset");
    MessageDigest sha = sha256();
    update(sha, itemId + "\n" + seed);
    long hash = 0;
    for (byte b : java.util.Arrays.copyOf(sha.digest(), 8)) hash = hash << 8 | (b & 0xff);
    return entries.get((int) Math.floorMod(hash, (long) entries.size()));
  }

  private static String imageStem(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    for (String extension : IMAGE_EXTENSIONS) {
      if (lower.endsWith(extension)) return key.substring(0, key.length() - extension.length());
    }
    return null;
  }

  private static void update(MessageDigest digest, String text) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256", e);
    }
  }
}
