package dev.urae.model.svd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a cached decomposition is keyed by: the SHA-256 of the weight (its shape and its
 * little-endian float32 bytes) and the number of smallest triplets kept. The same base weight
 * always gives the same key, whichever model file or run it came from.
 */
public final class DecompositionKey {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final String weightSha256;
  private final int rank;

  public DecompositionKey(String weightSha256, int rank) {
    Objects.requireNonNull(weightSha256, "weightSha256 == null");
    if (!SHA256.matcher(weightSha256).matches()) {
      throw new IllegalArgumentException("weightSha256 must be 64 lowercase hex digits, was " + weightSha256);
    }
    if (rank < 1) throw new IllegalArgumentException("rank must be positive, was " + rank);
    this.weightSha256 = weightSha256;
    this.rank = rank;
  }

  /**
   * The key of a rows×cols row-major float32 weight given as its bytes in native order (a
   * tensor's {@code toByteBuffer()}); the same key as {@link #of(float[], int, int, int)} of its
   * values on a little-endian machine, which every platform PyTorch ships for is.
   */
  public static DecompositionKey of(ByteBuffer float32, int rows, int cols, int rank) {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) throw new IllegalStateException("decomposition keys assume a little-endian machine");
    if (float32.remaining() != (long) rows * cols * Float.BYTES) {
      throw new IllegalArgumentException(float32.remaining() + " bytes do not make a " + rows + "x" + cols + " float32 matrix");
    }
    MessageDigest digest = sha256();
    digest.update(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(rows).putInt(cols).array());
    digest.update(float32.duplicate());
    return new DecompositionKey(HexFormat.of().formatHex(digest.digest()), rank);
  }

  /** The key of a rows×cols row-major weight and a rank. */
  public static DecompositionKey of(float[] weight, int rows, int cols, int rank) {
    MessageDigest digest = sha256();
    digest.update(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(rows).putInt(cols).array());
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : weight) {
      if (!chunk.hasRemaining()) {
        digest.update(chunk.array(), 0, chunk.position());
        chunk.clear();
      }
      chunk.putFloat(value);
    }
    digest.update(chunk.array(), 0, chunk.position());
    return new DecompositionKey(HexFormat.of().formatHex(digest.digest()), rank);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  public String weightSha256() {
    return weightSha256;
  }

  public int rank() {
    return rank;
  }

  /** A file or object name for the key: {@code <sha256>-r<rank>}. */
  public String fileName() {
    return weightSha256 + "-r" + rank;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DecompositionKey k && k.weightSha256.equals(weightSha256) && k.rank == rank;
  }

  @Override
  public int hashCode() {
    return weightSha256.hashCode() * 31 + rank;
  }

  @Override
  public String toString() {
    return fileName();
  }
}
