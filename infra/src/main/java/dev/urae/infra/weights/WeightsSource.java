package dev.urae.infra.weights;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/** Where a checkpoint's files come from: an S3 prefix in production, anything listable in tests. */
public interface WeightsSource extends AutoCloseable {

  /** The prefix, for messages: {@code s3://bucket/models/flux1-dev/}. */
  URI uri();

  /** Every file below the prefix. */
  WeightsListing list() throws IOException;

  /**
   * What {@code file}'s content must hash to.
   *
   * @throws IOException naming the file when it carries no checksum this cache can verify
   */
  ExpectedChecksum checksum(WeightsFile file) throws IOException;

  /** Opens {@code file} for reading, pinned to the ETag it was listed with. */
  InputStream open(WeightsFile file) throws IOException;

  @Override
  default void close() throws IOException {}
}
