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

  /**
   * Reads {@code length} bytes of {@code file} from {@code offset} (a safetensors header at
   * launch), pinned to the listed ETag like {@link #open}. This default reads from the start;
   * remote sources override it with a ranged read so a header costs no more than its bytes.
   *
   * @throws java.io.EOFException when the file ends before {@code offset + length}
   */
  default byte[] read(WeightsFile file, long offset, int length) throws IOException {
    try (InputStream in = open(file)) {
      in.skipNBytes(offset);
      byte[] bytes = in.readNBytes(length);
      if (bytes.length < length) throw new java.io.EOFException(uri() + file.path() + " ends before byte " + (offset + length));
      return bytes;
    }
  }

  @Override
  default void close() throws IOException {}
}
