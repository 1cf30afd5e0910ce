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

  /**
   * Parses what a user typed: {@code s3://bucket/a/b.jsonl}, {@code file:///x/y}, or a path. As
   * with the AWS CLI, everything after {@code s3://bucket/} is the key, literally: spaces,
   * {@code %}, {@code #} and non-ASCII characters are part of it, nothing is decoded.
   */
  public static ObjectLocation parse(String text) {
    if (text == null || text.isBlank()) throw new IllegalArgumentException("location is empty");
    if (text.startsWith("s3://")) {
      int slash = text.indexOf('/', "s3://".length());
      String bucket = slash < 0 ? "" : text.substring("s3://".length(), slash);
      String key = slash < 0 ? "" : text.substring(slash + 1);
      if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]") || key.isEmpty() || key.endsWith("/")) {
        throw new IllegalArgumentException("not an S3 object URI (expected s3://bucket/key): " + text);
      }
      return new ObjectLocation(URI.create("s3://" + bucket + "/"), key);
    }
    Path file = text.startsWith("file:") ? Path.of(URI.create(text)) : Path.of(text);
    file = file.toAbsolutePath().normalize();
    Path parent = file.getParent();
    if (parent == null || file.getFileName() == null) {
      throw new IllegalArgumentException("not a file path: " + text);
    }
    return new ObjectLocation(parent.toUri(), file.getFileName().toString());
  }

  /** The object's URI, its key quoted where a URI needs it. */
  public URI uri() {
    return storeRoot.resolve(Keys.asRelativeUri(key));
  }

  public boolean isS3() {
    return "s3".equals(storeRoot.getScheme());
  }

  /** As a user would type it: {@code s3://bucket/key} with the key literal, or a path. */
  @Override
  public String toString() {
    return isS3() ? storeRoot + key : Path.of(uri()).toString();
  }
}
