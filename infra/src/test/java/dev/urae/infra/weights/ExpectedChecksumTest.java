package dev.urae.infra.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExpectedChecksumTest {
  private static final byte[] CONTENT = new Random(7).ints(2_500, 0, 256).collect(
      ByteArrayOutputStream::new, (out, b) -> out.write(b), (a, b) -> a.writeBytes(b.toByteArray())).toByteArray();

  @Test
  void aSinglePartETagIsTheContentsMd5() throws Exception {
    // given
    ExpectedChecksum expected = ExpectedChecksum.ETag.singlePart("\"" + hex("MD5", CONTENT) + "\"");

    // when / then
    assertThat(feed(expected, CONTENT, 333)).isNull();
    assertThat(feed(expected, flipped(CONTENT, 100), 333)).startsWith("ETag ").endsWith("expected " + hex("MD5", CONTENT));
  }

  @Test
  void aMultipartETagIsTheMd5OfThePartMd5sWhateverTheReadSizes() throws Exception {
    // given: parts of 1,000 bytes, as S3 computes the ETag of a 3-part upload
    MessageDigest ofParts = MessageDigest.getInstance("MD5");
    for (int start = 0; start < CONTENT.length; start += 1_000) {
      ofParts.update(MessageDigest.getInstance("MD5").digest(java.util.Arrays.copyOfRange(CONTENT, start, Math.min(CONTENT.length, start + 1_000))));
    }
    String eTag = HexFormat.of().formatHex(ofParts.digest()) + "-3";
    ExpectedChecksum expected = new ExpectedChecksum.ETag(eTag, 1_000);

    // when / then: reads that straddle part boundaries change nothing
    assertThat(feed(expected, CONTENT, 7)).isNull();
    assertThat(feed(expected, CONTENT, 1_000)).isNull();
    assertThat(feed(expected, CONTENT, 4_096)).isNull();
    assertThat(feed(new ExpectedChecksum.ETag(eTag, 1_024), CONTENT, 512)).as("wrong part size").isNotNull();
    assertThat(feed(expected, flipped(CONTENT, 2_400), 64)).isNotNull();
  }

  @Test
  void aSha256CoversTheWholeFile() throws Exception {
    ExpectedChecksum expected = new ExpectedChecksum.Sha256(hex("SHA-256", CONTENT).toUpperCase());

    assertThat(feed(expected, CONTENT, 100)).isNull();
    assertThat(feed(expected, java.util.Arrays.copyOf(CONTENT, CONTENT.length - 1), 100)).startsWith("SHA-256 ");
  }

  @Test
  void malformedChecksumsAreRefusedWithTheValue() {
    assertThatThrownBy(() -> new ExpectedChecksum.ETag("abc", 0)).hasMessageContaining("not an MD5 ETag: abc");
    assertThatThrownBy(() -> new ExpectedChecksum.ETag("0123456789abcdef0123456789abcdef-2", 0))
        .hasMessageContaining("needs the part size");
    assertThatThrownBy(() -> new ExpectedChecksum.Sha256("00")).hasMessageContaining("not a SHA-256");
  }

  static String feed(ExpectedChecksum expected, byte[] content, int chunk) {
    ExpectedChecksum.Check check = expected.start();
    for (int start = 0; start < content.length; start += chunk) {
      check.update(content, start, Math.min(chunk, content.length - start));
    }
    return check.mismatch();
  }

  static String hex(String algorithm, byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
  }

  private static byte[] flipped(byte[] content, int at) {
    byte[] copy = content.clone();
    copy[at] ^= 1;
    return copy;
  }
}
