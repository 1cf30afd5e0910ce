package dev.urae.infra.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ObjectStore} promises, whatever holds the bytes. A store's test extends this
 * class and says how to open a fresh, empty store; the S3 store's test lives in {@code tests/}
 * (it needs an emulator) and reaches this class through the infra test-jar.
 */
public abstract class ObjectStoreContract {
  protected ObjectStore store;
  @TempDir protected Path scratch;

  /** A new, empty store; closed after each test. */
  protected abstract ObjectStore newStore() throws Exception;

  /**
   * Size of the object used by the large-object test: big enough to take the store's
   * large-object path (multipart on S3).
   */
  protected long largeObjectSize() {
    return 3L << 20;
  }

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() throws Exception {
    if (store != null) store.close();
  }

  @Test
  void putThenGetReturnsTheSameBytes() throws Exception {
    // given
    byte[] content = "{\"prompt\":\"a lighthouse\"}\n".getBytes(StandardCharsets.UTF_8);

    // when
    ObjectInfo written = store.put("runs/r1/input/manifest.jsonl", content);

    // then
    assertThat(written).isEqualTo(new ObjectInfo("runs/r1/input/manifest.jsonl", content.length, sha256(content)));
    try (InputStream in = store.get("runs/r1/input/manifest.jsonl")) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
  }

  @Test
  void statReturnsSizeAndSha256OfWhatWasWritten() throws Exception {
    // given
    byte[] content = "marker".getBytes(StandardCharsets.UTF_8);
    store.put("runs/r1/tasks/teacher/shard-00000.done", content);

    // when
    var info = store.stat("runs/r1/tasks/teacher/shard-00000.done");

    // then
    assertThat(info).contains(new ObjectInfo("runs/r1/tasks/teacher/shard-00000.done", 6, sha256(content)));
  }

  @Test
  void emptyObjectsAreObjects() throws Exception {
    // when
    store.put("empty", new byte[0]);

    // then
    assertThat(store.exists("empty")).isTrue();
    assertThat(store.stat("empty")).contains(new ObjectInfo("empty", 0, sha256(new byte[0])));
  }

  @Test
  void absentObjectsAreReportedAsSuch() throws Exception {
    // then
    assertThat(store.stat("runs/none/x.json")).isEmpty();
    assertThat(store.exists("runs/none/x.json")).isFalse();
    assertThatThrownBy(() -> store.get("runs/none/x.json"))
        .isInstanceOf(NoSuchObjectException.class)
        .hasMessageContaining(store.uri("runs/none/x.json").toString())
        .satisfies(e -> assertThat(((NoSuchObjectException) e).uri()).isEqualTo(store.uri("runs/none/x.json")));
  }

  @Test
  void putReplacesAnExistingObject() throws Exception {
    // given
    store.put("a.txt", "first".getBytes(StandardCharsets.UTF_8));

    // when
    store.put("a.txt", "second, longer".getBytes(StandardCharsets.UTF_8));

    // then
    try (InputStream in = store.get("a.txt")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second, longer");
    }
    assertThat(store.stat("a.txt").orElseThrow().sha256()).isEqualTo(sha256("second, longer".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void listFindsKeysUnderAPrefixAtAnyDepthSortedAndNothingElse() throws Exception {
    // given
    store.put("runs/r1/tasks/teacher/shard-00001.json", new byte[3]);
    store.put("runs/r1/tasks/teacher/shard-00000.json", new byte[2]);
    store.put("runs/r1/tasks/teacher/deep/x.json", new byte[1]);
    store.put("runs/r1/tasks/teachers/other.json", new byte[1]);
    store.put("runs/r2/tasks/teacher/shard-00000.json", new byte[1]);

    // when
    List<ObjectInfo> folder = store.list("runs/r1/tasks/teacher/");
    List<ObjectInfo> stem = store.list("runs/r1/tasks/teacher");

    // then
    assertThat(folder).extracting(ObjectInfo::key).containsExactly(
        "runs/r1/tasks/teacher/deep/x.json",
        "runs/r1/tasks/teacher/shard-00000.json",
        "runs/r1/tasks/teacher/shard-00001.json");
    assertThat(folder).extracting(ObjectInfo::size).containsExactly(1L, 2L, 3L);
    assertThat(stem).extracting(ObjectInfo::key).contains("runs/r1/tasks/teachers/other.json").hasSize(4);
    assertThat(store.list("")).hasSize(5);
    assertThat(store.list("runs/r3/")).isEmpty();
  }

  @Test
  void deleteRemovesAnObjectAndSaysWhetherItExisted() throws Exception {
    // given
    store.put("runs/r1/x.json", new byte[] {1});

    // when
    boolean first = store.delete("runs/r1/x.json");
    boolean second = store.delete("runs/r1/x.json");

    // then
    assertThat(first).isTrue();
    assertThat(second).isFalse();
    assertThat(store.exists("runs/r1/x.json")).isFalse();
    assertThat(store.list("runs/")).isEmpty();
  }

  @Test
  void filesGoInAndComeOut() throws Exception {
    // given
    Path source = scratch.resolve("in.bin");
    byte[] content = pattern(70_000);
    Files.write(source, content);

    // when
    ObjectInfo written = store.putFile("runs/r1/cache/item_t5.safetensors", source);
    Path target = scratch.resolve("out/copy.bin");
    store.getFile("runs/r1/cache/item_t5.safetensors", target);

    // then
    assertThat(written.sha256()).isEqualTo(sha256(content));
    assertThat(Files.readAllBytes(target)).isEqualTo(content);
    assertThatThrownBy(() -> store.getFile("runs/r1/none", scratch.resolve("none")))
        .isInstanceOf(NoSuchObjectException.class);
    assertThat(scratch.resolve("none")).doesNotExist();
  }

  @Test
  void largeObjectsStreamInOfUnknownLengthAndOutIntact() throws Exception {
    // given: a stream that is generated as it is read, so nothing holds it whole
    long size = largeObjectSize();
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    InputStream generated = new GeneratedStream(size, expected);

    // when
    ObjectInfo written = store.put("runs/r1/adapt/adapter.safetensors", generated);

    // then
    String expectedHex = HexFormat.of().formatHex(expected.digest());
    assertThat(written).isEqualTo(new ObjectInfo("runs/r1/adapt/adapter.safetensors", size, expectedHex));
    assertThat(store.stat("runs/r1/adapt/adapter.safetensors")).contains(written);
    Path copy = scratch.resolve("adapter.safetensors");
    store.getFile("runs/r1/adapt/adapter.safetensors", copy);
    assertThat(Files.size(copy)).isEqualTo(size);
    assertThat(sha256(copy)).isEqualTo(expectedHex);
  }

  @Test
  void keysThatEscapeTheRootAreRefused() {
    // then
    assertThatThrownBy(() -> store.put("../outside", new byte[1])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("..");
    assertThatThrownBy(() -> store.get("/absolute")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("relative");
  }

  @Test
  void urisOfKeysLieUnderTheRoot() {
    // then
    var uri = store.uri("runs/r1/report/index.html");
    assertThat(uri.getScheme()).isEqualTo(store.root().getScheme());
    assertThat(uri.getAuthority()).isEqualTo(store.root().getAuthority());
    assertThat(uri.getPath()).isEqualTo(store.root().getPath() + "runs/r1/report/index.html");
  }

  protected static String sha256(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }

  protected static String sha256(Path file) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  protected static byte[] pattern(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) bytes[i] = (byte) (i * 31 + (i >> 8));
    return bytes;
  }

  /** Yields {@code size} pseudo-random bytes, digesting them as they go out. */
  private static final class GeneratedStream extends InputStream {
    private final long size;
    private final MessageDigest digest;
    private long position;
    private long state = 0x9E3779B97F4A7C15L;

    GeneratedStream(long size, MessageDigest digest) {
      this.size = size;
      this.digest = digest;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (position >= size) return -1;
      int n = (int) Math.min(length, size - position);
      for (int i = 0; i < n; i++) {
        state ^= state << 13;
        state ^= state >>> 7;
        state ^= state << 17;
        buffer[offset + i] = (byte) state;
      }
      digest.update(buffer, offset, n);
      position += n;
      return n;
    }
  }
}
