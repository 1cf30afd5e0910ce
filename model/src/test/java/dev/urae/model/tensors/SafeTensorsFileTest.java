package dev.urae.model.tensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsFileTest {
  @TempDir Path dir;
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void roundTripsEveryDtypeAndMetadata() throws IOException {
    // given
    Path file = dir.resolve("all.safetensors");
    float[] values = {0f, 1f, -2.5f, 3.14159f, 65504f, 1e-3f};
    new SafeTensorsWriter()
        .metadata("format", "pt")
        .addFloats("f32", new Shape(2, 3), values, DType.F32)
        .addFloats("f16", new Shape(2, 3), values, DType.F16)
        .addFloats("bf16", new Shape(6), values, DType.BF16)
        .add("i64", manager.create(new long[] {1, -2, 3_000_000_000L}))
        .add("i32", manager.create(new int[] {7, -8}))
        .add("u8", manager.create(ByteBuffer.wrap(new byte[] {1, (byte) 200}), new Shape(2), DataType.UINT8))
        .add("scalar", manager.create(new float[] {42f}, new Shape()))
        .write(file);

    // when
    try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
      // then
      assertThat(in.names()).containsExactly("f32", "f16", "bf16", "i64", "i32", "u8", "scalar");
      assertThat(in.metadata()).containsExactly(Map.entry("format", "pt"));
      assertThat(in.floats("f32")).containsExactly(values);
      assertThat(in.floats("f16")).containsExactly(0f, 1f, -2.5f, 3.140625f, 65504f, 0.0010004044f); // values from torch .half()
      assertThat(in.floats("bf16")).containsExactly(0f, 1f, -2.5f, 3.140625f, 65536f, 9.994507E-4f); // values from torch .bfloat16()
      assertThat(in.entry("f16").shape()).isEqualTo(new Shape(2, 3));
      assertThat(in.load("i64", manager).toLongArray()).containsExactly(1, -2, 3_000_000_000L);
      assertThat(in.load("i32", manager).toIntArray()).containsExactly(7, -8);
      assertThat(in.load("u8", manager).toUint8Array()).containsExactly(1, 200);
      NDArray scalar = in.load("scalar", manager);
      assertThat(scalar.getShape()).isEqualTo(new Shape());
      assertThat(scalar.getFloat()).isEqualTo(42f);
    }
  }

  @Test
  void headerIsPaddedToEightBytes() throws IOException {
    // given
    Path file = dir.resolve("pad.safetensors");
    new SafeTensorsWriter().addFloats("x", new Shape(1), new float[] {1}, DType.F32).write(file);

    // when
    long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();

    // then
    assertThat(headerLength % 8).isZero();
  }

  @Test
  void rejectsTruncatedFile() throws IOException {
    assertRejected(new byte[] {1, 2, 3}, "truncated: 3 bytes");
  }

  @Test
  void rejectsHeaderLengthBeyondTheFile() throws IOException {
    assertRejected(raw(1000, "{}", 0), "header length 1000 reaches beyond the end of the file");
  }

  @Test
  void rejectsHeaderOverOneHundredMegabytes() throws IOException {
    assertRejected(raw(200_000_000L, "{}", 0), "header length 200000000 exceeds the 100 MB limit");
  }

  @Test
  void rejectsNonJsonHeader() throws IOException {
    assertRejected(file("{not json"), "header is not valid JSON");
  }

  @Test
  void rejectsUnknownDtype() throws IOException {
    assertRejected(file("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1),
        "tensor 'a': unknown dtype 'F8_E4M3'");
  }

  @Test
  void rejectsDuplicateNames() throws IOException {
    assertRejected(file("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 2),
        "duplicate tensor name in header: 'a'");
  }

  @Test
  void rejectsOffsetsThatDisagreeWithShapeAndDtype() throws IOException {
    assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4),
        "tensor 'a': data_offsets [0, 4] hold 4 bytes but shape [2] of F32 needs 8");
  }

  @Test
  void rejectsOverlappingTensors() throws IOException {
    assertRejected(file("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[1,3]}}", 3),
        "tensors 'a' and 'b' overlap");
  }

  @Test
  void rejectsHolesBetweenTensors() throws IOException {
    assertRejected(file("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},\"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[2,3]}}", 3),
        "hole of 1 bytes in the data before tensor 'b'");
  }

  @Test
  void rejectsUnusedBytesAtTheEnd() throws IOException {
    assertRejected(file("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 3), "2 unused bytes after the last tensor");
  }

  @Test
  void rejectsDataCutShort() throws IOException {
    assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 10),
        "truncated: tensor 'a' ends at data byte 16 but the file holds only 10 data bytes");
  }

  private void assertRejected(byte[] content, String message) throws IOException {
    // given
    Path file = dir.resolve("bad.safetensors");
    Files.write(file, content);

    // when / then
    assertThatThrownBy(() -> SafeTensorsFile.open(file))
        .isInstanceOf(InvalidSafeTensorsException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining(message);
  }

  private static byte[] file(String header) {
    return raw(header.getBytes(StandardCharsets.UTF_8).length, header, 0);
  }

  private static byte[] file(String header, int dataBytes) {
    return raw(header.getBytes(StandardCharsets.UTF_8).length, header, dataBytes);
  }

  private static byte[] raw(long declaredLength, String header, int dataBytes) {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(declaredLength).put(json);
    return b.array();
  }
}
