package dev.urae.model.checkpoint;

import java.nio.file.Path;
import java.util.Objects;

/** {@code length} bytes of {@code file} starting at {@code offset}: where (part of) a stored tensor lives. */
public record ByteRange(Path file, long offset, long length) {
  public ByteRange {
    Objects.requireNonNull(file, "file == null");
    if (offset < 0 || length < 0) throw new IllegalArgumentException("offset and length must be >= 0, got " + offset + ", " + length);
  }
}
