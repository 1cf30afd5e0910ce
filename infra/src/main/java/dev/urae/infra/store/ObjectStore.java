package dev.urae.infra.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a run's bytes live: a local folder on the embedded default, an S3 prefix on AWS.
 *
 * <p>Keys are relative, slash-separated paths such as {@code runs/abc/input/shard-00000.jsonl};
 * they never start with a slash and never contain {@code ..} segments. Writes are atomic from a
 * reader's view: an object is either absent or complete under its final key.
 */
public interface ObjectStore extends AutoCloseable {

  /** The store's root, e.g. {@code file:///data/urae/} or {@code s3://bucket/prefix/}. */
  URI root();

  /**
   * The full URI of {@code key}, for messages and for handing locations to workers. Keys are
   * literal (S3 keys may hold spaces, {@code %}, {@code #}): the URI quotes what it must.
   */
  default URI uri(String key) {
    return root().resolve(Keys.asRelativeUri(Keys.check(key)));
  }

  /**
   * Opens one version of an object: {@code versionId} when given, else the version whose ETag
   * is {@code eTag}. Both null: the current version. Throws {@link NoSuchObjectException} when
   * that version is gone. Stores without versions accept only the current one.
   */
  default InputStream get(String key, String versionId, String eTag) throws IOException {
    if (versionId == null && eTag == null) return get(key);
    throw new UnsupportedOperationException("objects in " + root() + " have no versions; cannot open " + key
        + " at version " + (versionId != null ? versionId : "with ETag " + eTag));
  }

  /** Opens an object for streaming reads. Throws {@link NoSuchObjectException} when absent. */
  InputStream get(String key) throws IOException;

  /** Writes an object from a stream without buffering it whole; returns its size and SHA-256. */
  ObjectInfo put(String key, InputStream data) throws IOException;

  /** Writes a small object from memory. */
  default ObjectInfo put(String key, byte[] data) throws IOException {
    return put(key, new java.io.ByteArrayInputStream(data));
  }

  /** Writes an object from a local file (large files may go multipart). */
  ObjectInfo putFile(String key, Path file) throws IOException;

  /** Copies an object to a local file, replacing it. */
  void getFile(String key, Path target) throws IOException;

  /** Size and checksum of an object, or empty when it does not exist. */
  Optional<ObjectInfo> stat(String key) throws IOException;

  default boolean exists(String key) throws IOException {
    return stat(key).isPresent();
  }

  /** Every object whose key starts with {@code prefix}, at any depth, sorted by key. */
  List<ObjectInfo> list(String prefix) throws IOException;

  /** Deletes an object; returns whether it existed. */
  boolean delete(String key) throws IOException;

  @Override
  default void close() throws IOException {}
}
