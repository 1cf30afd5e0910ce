package dev.urae.infra.weights;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * What a copied file's bytes must hash to, and the streaming check of it.
 *
 * <p>Two kinds, in order of preference: a SHA-256 of the whole object (S3's additional checksum
 * of type FULL_OBJECT, or the {@code x-amz-meta-sha256} every urae upload carries), and the
 * ETag. An ETag is the content's MD5 only for a single-part upload without SSE-KMS; a multipart
 * upload's ETag is the MD5 of its parts' MD5s followed by {@code -<parts>}, which this check
 * recomputes from the part size the upload used (S3 reports it for part 1).
 */
public sealed interface ExpectedChecksum {

  /** Starts a check; feed it every byte of the file, in order. */
  Check start();

  /** A running check over a file's bytes. */
  interface Check {
    void update(byte[] bytes, int offset, int length);

    /** Null when the bytes hashed to the expected value, else what they hashed to and what was expected. */
    String mismatch();
  }

  /** SHA-256 of the whole file, lower-case hex. */
  record Sha256(String hex) implements ExpectedChecksum {
    public Sha256 {
      Objects.requireNonNull(hex, "hex == null");
      hex = hex.toLowerCase(Locale.ROOT);
      if (!hex.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("not a SHA-256 in hex: " + hex);
    }

    @Override
    public Check start() {
      MessageDigest sha = digest("SHA-256");
      return new Check() {
        @Override
        public void update(byte[] bytes, int offset, int length) {
          sha.update(bytes, offset, length);
        }

        @Override
        public String mismatch() {
          String actual = HexFormat.of().formatHex(sha.digest());
          return actual.equals(hex) ? null : "SHA-256 " + actual + ", expected " + hex;
        }
      };
    }
  }

  /**
   * The S3 ETag of a single-part ({@code parts == 1}) or multipart upload of parts of
   * {@code partSize} bytes (the last one shorter).
   */
  record ETag(String eTag, long partSize) implements ExpectedChecksum {
    public ETag {
      Objects.requireNonNull(eTag, "eTag == null");
      eTag = WeightsFile.unquote(eTag).toLowerCase(Locale.ROOT);
      if (!eTag.matches("[0-9a-f]{32}(-[0-9]{1,5})?")) {
        throw new IllegalArgumentException("not an MD5 ETag: " + eTag);
      }
      if (eTag.contains("-") && partSize < 1) throw new IllegalArgumentException("a multipart ETag needs the part size: " + eTag);
    }

    /** A single-part upload's ETag: the MD5 of the content. */
    public static ETag singlePart(String eTag) {
      return new ETag(eTag, 0);
    }

    @Override
    public Check start() {
      boolean multipart = eTag.contains("-");
      MessageDigest whole = digest("MD5");
      MessageDigest part = digest("MD5");
      return new Check() {
        long inPart;
        int parts;

        @Override
        public void update(byte[] bytes, int offset, int length) {
          if (!multipart) {
            whole.update(bytes, offset, length);
            return;
          }
          while (length > 0) {
            int n = (int) Math.min(length, partSize - inPart);
            part.update(bytes, offset, n);
            inPart += n;
            offset += n;
            length -= n;
            if (inPart == partSize) closePart();
          }
        }

        private void closePart() {
          whole.update(part.digest());
          parts++;
          inPart = 0;
        }

        @Override
        public String mismatch() {
          if (multipart && inPart > 0) closePart();
          String actual = HexFormat.of().formatHex(whole.digest()) + (multipart ? "-" + parts : "");
          return actual.equals(eTag) ? null : "ETag " + actual + ", expected " + eTag;
        }
      };
    }
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks " + algorithm, e);
    }
  }
}
