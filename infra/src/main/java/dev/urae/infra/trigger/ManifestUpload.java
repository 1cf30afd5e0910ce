package dev.urae.infra.trigger;

import java.net.URI;
import java.util.Objects;

/**
 * One version of an uploaded object, as an S3 event names it.
 *
 * @param bucket    the bucket
 * @param key       the object key, decoded
 * @param versionId the object version when the bucket is versioned, else {@code null}
 * @param eTag      the object's ETag when the event carries it, else {@code null}
 * @param sequencer S3's ordering token for events on one key, else {@code null}
 * @param size      the object size in bytes, or -1 when not given
 */
public record ManifestUpload(String bucket, String key, String versionId, String eTag, String sequencer, long size) {
  public ManifestUpload {
    Objects.requireNonNull(bucket, "bucket == null");
    Objects.requireNonNull(key, "key == null");
    if (bucket.isBlank()) throw new IllegalArgumentException("bucket is empty");
    if (key.isBlank()) throw new IllegalArgumentException("key is empty");
  }

  /** The object's URI, its key quoted where a URI needs it ({@code %}, {@code #}, spaces). */
  public URI uri() {
    return URI.create("s3://" + bucket + "/").resolve(dev.urae.infra.store.Keys.asRelativeUri(key));
  }

  /** {@code s3://bucket/key} with the key literal, as {@code ObjectLocation.parse} reads it. */
  public String location() {
    return "s3://" + bucket + "/" + key;
  }

  /** Names this version: the same upload notified twice has the same identity. */
  public String identity() {
    String version = versionId != null ? "v:" + versionId : eTag != null ? "e:" + eTag : sequencer != null ? "s:" + sequencer : "";
    return bucket + "/" + key + "#" + version;
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + key + (versionId == null ? "" : "?versionId=" + versionId);
  }
}
