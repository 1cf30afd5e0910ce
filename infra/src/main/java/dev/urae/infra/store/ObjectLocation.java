package dev.urae.infra.store;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A single object named by a user: a local path or a {@code file://} / {@code s3://} URI, split
 * into the root of the store that holds it and its key in that store.
 */
public record ObjectLocation(URI storeRoot, String key) {
  public ObjectLocation {
    Objects.requireNonNull(storeRoot, "storeRoot == null");
    Keys.check(key);
  }

  /** Parses what a user typed: {@code s3://bucket/a/b.jsonl}, {@code file:///x/y}, or a path. */
  public static ObjectLocation parse(String text) {
    if (text == null || text.isBlank()) throw new IllegalArgumentException("location is empty");
    if (text.startsWith("s3://")) {
      URI uri = URI.create(text);
      String bucket = uri.getHost();
      String path = uri.getPath() == null ? "" : uri.getPath();
      if (bucket == null || path.length() <= 1 || path.endsWith("/")) {
        throw new IllegalArgumentException("not an S3 object URI (expected s3://bucket/key): " + text);
      }
      return new ObjectLocation(URI.create("s3://" + bucket + "/"), path.substring(1));
    }
    Path file = text.startsWith("file:") ? Path.of(URI.create(text)) : Path.of(text);
    file = file.toAbsolutePath().normalize();
    Path parent = file.getParent();
    if (parent == null || file.getFileName() == null) {
      throw new IllegalArgumentException("not a file path: " + text);
    }
    return new ObjectLocation(parent.toUri(), file.getFileName().toString());
  }

  public URI uri() {
    return storeRoot.resolve(key);
  }

  public boolean isS3() {
    return "s3".equals(storeRoot.getScheme());
  }

  @Override
  public String toString() {
    return isS3() ? uri().toString() : Path.of(uri()).toString();
  }
}
