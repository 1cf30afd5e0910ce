package dev.urae.infra.s3;

import java.net.URI;

/**
 * The root of an S3 store: a bucket and a key prefix that is empty or ends with {@code /}.
 *
 * @param bucket the bucket name
 * @param prefix every key the store writes starts with this
 */
public record S3Root(String bucket, String prefix) {
  public S3Root {
    if (bucket == null || bucket.isBlank()) throw new IllegalArgumentException("bucket is empty");
    if (prefix == null) throw new IllegalArgumentException("prefix == null");
    if (!prefix.isEmpty() && !prefix.endsWith("/")) prefix = prefix + "/";
    if (prefix.startsWith("/")) throw new IllegalArgumentException("prefix must not start with '/': " + prefix);
  }

  /** Parses {@code s3://bucket/} or {@code s3://bucket/some/prefix/} (a trailing slash is added). */
  public static S3Root parse(URI root) {
    if (!"s3".equals(root.getScheme()) || root.getHost() == null) {
      throw new IllegalArgumentException("not an S3 store root (expected s3://bucket/prefix/): " + root);
    }
    String path = root.getPath() == null ? "" : root.getPath();
    return new S3Root(root.getHost(), path.startsWith("/") ? path.substring(1) : path);
  }

  public URI uri() {
    return URI.create("s3://" + bucket + "/" + prefix);
  }

  /** The S3 key for a store key. */
  public String s3Key(String key) {
    return prefix + key;
  }

  /** The store key for an S3 key under this root. */
  public String storeKey(String s3Key) {
    return s3Key.substring(prefix.length());
  }
}
