package dev.urae.infra.store;

import java.util.Objects;

/**
 * What a store knows of one object.
 *
 * @param key    the object's key relative to the store root
 * @param size   its length in bytes
 * @param sha256 lower-case hex SHA-256 of its content, or {@code null} when the store cannot tell
 *               without reading the object (listing results)
 */
public record ObjectInfo(String key, long size, String sha256) {
  public ObjectInfo {
    Objects.requireNonNull(key, "key == null");
    if (size < 0) throw new IllegalArgumentException("size < 0: " + size);
  }
}
