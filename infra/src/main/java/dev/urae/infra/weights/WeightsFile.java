package dev.urae.infra.weights;

import dev.urae.infra.store.Keys;
import java.util.Objects;

/**
 * One file of a remote checkpoint, as its listing describes it.
 *
 * @param path relative, slash-separated path below the checkpoint's prefix, e.g. {@code vae/config.json}
 * @param size length in bytes
 * @param eTag the object's ETag as listed (quotes removed): the content's MD5 for a single-part
 *             upload, {@code <md5 of part MD5s>-<parts>} for a multipart one
 */
public record WeightsFile(String path, long size, String eTag) {
  public WeightsFile {
    Keys.check(path);
    if (size < 0) throw new IllegalArgumentException("size < 0: " + size);
    Objects.requireNonNull(eTag, "eTag == null");
    eTag = unquote(eTag);
  }

  /** Whether the ETag is that of a multipart upload ({@code <hex>-<parts>}). */
  public boolean multipart() {
    return eTag.contains("-");
  }

  /** Parts of a multipart upload, 1 for a single-part one. */
  public int parts() {
    return multipart() ? Integer.parseInt(eTag.substring(eTag.indexOf('-') + 1)) : 1;
  }

  static String unquote(String eTag) {
    String t = eTag.trim();
    return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
  }
}
