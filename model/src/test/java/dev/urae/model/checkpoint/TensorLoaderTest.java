package dev.urae.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.checkpoint.bench.HeapWatch;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.model.tensors.SafeTensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorLoaderTest {
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
  void bf16StaysBf16WithTheStoredBits() throws IOException {
    // given values that float16 cannot hold (3e38, 1e-39): a float16 detour would change them
    float[] values = {1f, -2.5f, 3.0e38f, 1.0e-39f, 0.1f, -0f};
    Path file = dir.resolve("w.safetensors");
    new SafeTensorsWriter().addFloats("w", new Shape(2, 3), values, DType.BF16).write(file);

    // when
    NDArray w = TensorLoader.load(tensor(file, "w"), manager, Device.cpu());

    // then
    assertThat(TensorLoader.dtypeOf(w)).isEqualTo(DType.BF16);
    assertThat(Bf16.is(w)).isTrue();
    assertThat(w.getShape()).isEqualTo(new Shape(2, 3));
    // values from torch: tensor(values).bfloat16().float()
    assertThat(w.toType(DataType.FLOAT32, false).toFloatArray()).containsExactly(1f, -2.5f, 3.00405527047391e+38f, 1.0101904577379033e-39f, 0.10009765625f, -0f);
  }

  @Test
  void float16AndFloat32KeepTheirType() throws IOException {
    // given
    Path file = dir.resolve("w.safetensors");
    new SafeTensorsWriter()
        .addFloats("half", new Shape(3), new float[] {1f, 0.5f, -3f}, DType.F16)
        .addFloats("full", new Shape(3), new float[] {1f, 0.1f, -3f}, DType.F32)
        .write(file);

    // when
    NDArray half = TensorLoader.load(tensor(file, "half"), manager, Device.cpu());
    NDArray full = TensorLoader.load(tensor(file, "full"), manager, Device.cpu());

    // then
    assertThat(half.getDataType()).isEqualTo(DataType.FLOAT16);
    assertThat(Bf16.is(half)).isFalse();
    assertThat(half.toType(DataType.FLOAT32, false).toFloatArray()).containsExactly(1f, 0.5f, -3f);
    assertThat(full.getDataType()).isEqualTo(DataType.FLOAT32);
    assertThat(full.toFloatArray()).containsExactly(1f, 0.1f, -3f);
  }

  @Test
  void aCopiedTensorOutlivesTheMapping() throws IOException {
    // given bf16, which is always copied
    Path file = dir.resolve("w.safetensors");
    new SafeTensorsWriter().addFloats("w", new Shape(2), new float[] {4f, 5f}, DType.BF16).write(file);
    StoredTensor stored = tensor(file, "w");
    NDArray w = TensorLoader.load(stored, manager, Device.cpu());

    // when the file's bytes change in place after loading
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
      out.write(ByteBuffer.allocate(4), stored.ranges().get(0).offset());
    }

    // then
    assertThat(w.toType(DataType.FLOAT32, false).toFloatArray()).containsExactly(4f, 5f);
  }

  @Test
  void float32OnTheCpuIsACopyOnWriteAliasThatNeverWritesTheFile() throws IOException {
    // given
    Path file = dir.resolve("w.safetensors");
    new SafeTensorsWriter().addFloats("w", new Shape(3), new float[] {1f, 2f, 3f}, DType.F32).write(file);
    NDArray w = TensorLoader.load(tensor(file, "w"), manager, Device.cpu());

    // when PyTorch writes into the loaded array
    w.addi(10f);

    // then the array changed, the file did not
    assertThat(w.toFloatArray()).containsExactly(11f, 12f, 13f);
    try (SafeTensorsFile again = SafeTensorsFile.open(file)) {
      assertThat(again.floats("w")).containsExactly(1f, 2f, 3f);
    }
  }

  @Test
  void anAliasKeepsItsValuesWhenTheFileIsReplacedByRename() throws IOException {
    // given a float32 array aliasing a file
    Path file = dir.resolve("w.safetensors");
    new SafeTensorsWriter().addFloats("w", new Shape(2), new float[] {4f, 5f}, DType.F32).write(file);
    NDArray w = TensorLoader.load(tensor(file, "w"), manager, Device.cpu());

    // when the file is rewritten the way every writer here does it (beside it, then renamed over it)
    new SafeTensorsWriter().addFloats("w", new Shape(2), new float[] {0f, 0f}, DType.F32).write(file);

    // then the array still holds the old file's values
    assertThat(w.toFloatArray()).containsExactly(4f, 5f);
  }

  @Test
  void sixtyFourMegabytesOfFloat32AreReadFromThePageCacheWithoutAProcessCopy() throws IOException {
    assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux's /proc/self/status");
    // given 64 MiB of float32 ones
    long elements = 16L * 1024 * 1024;
    ShardedSafeTensorsWriter.write(dir, "big", List.of(new ShardedSafeTensorsWriter.Entry("w", DType.F32, new Shape(elements),
        RandomFill.constant(elements, 1f, DType.F32))), Long.MAX_VALUE);
    long before = anonymousResidentBytes();

    // when loaded and read through once
    NDArray w = TensorLoader.load(tensor(dir.resolve("big.safetensors"), "w"), manager, Device.cpu());
    float sum = w.sum().getFloat();

    // then every value was read, and the process did not grow by a copy (a clone adds 64 MiB of anonymous memory)
    assertThat(sum).isEqualTo((float) elements);
    assertThat(anonymousResidentBytes() - before).isLessThan(16L * 1024 * 1024);
  }

  /** RssAnon: this process's resident memory that is not a file's pages. */
  private static long anonymousResidentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("RssAnon:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
    }
    throw new IOException("no RssAnon in /proc/self/status");
  }

  @Test
  void rowRangesAreConcatenatedInOrder() throws IOException {
    // given a [4, 2] tensor whose halves are swapped (BFL's final modulation)
    Path file = dir.resolve("w.safetensors");
    new SafeTensorsWriter().addFloats("w", new Shape(4, 2), new float[] {0, 1, 2, 3, 4, 5, 6, 7}, DType.BF16).write(file);
    StoredTensor w = tensor(file, "w");
    StoredTensor swapped = StoredTensor.concatRows("s", List.of(w.rows("b", 2, 2), w.rows("a", 0, 2)));

    // when
    NDArray loaded = TensorLoader.load(swapped, manager, Device.cpu());

    // then
    assertThat(loaded.getShape()).isEqualTo(new Shape(4, 2));
    assertThat(loaded.toType(DataType.FLOAT32, false).toFloatArray()).containsExactly(4, 5, 6, 7, 0, 1, 2, 3);
  }

  @Test
  void loadingSixtyFourMegabytesOfBf16BarelyTouchesTheJavaHeap() throws IOException {
    // given 64 MiB of bf16 in 4 tensors, written without building them on the heap
    int tensors = 4;
    long elements = 8L * 1024 * 1024;
    Path file = rawBf16File(dir.resolve("big.safetensors"), tensors, elements);
    List<StoredTensor> stored = new ArrayList<>(new TensorSet(ComponentReader.headers(file, new ArrayList<>())).all());
    List<NDArray> loaded = new ArrayList<>();
    TensorLoader.load(stored.get(0), manager, Device.cpu()).close(); // engine and bf16 module start-up

    // when
    HeapWatch heap = HeapWatch.start();
    for (StoredTensor t : stored) loaded.add(TensorLoader.load(t, manager, Device.cpu()));
    heap.close();

    // then: widening to a float[] would allocate 32 MiB per tensor; the mapped route a few KiB
    long peakRise = heap.peakUsed() - heap.usedBefore();
    assertThat(loaded).hasSize(tensors);
    assertThat(TensorLoader.dtypeOf(loaded.get(3))).isEqualTo(DType.BF16);
    assertThat(loaded.get(3).get(elements - 1).toType(DataType.FLOAT32, false).getFloat()).isEqualTo(1f);
    assertThat(heap.allocatedBytes()).as("heap allocated while loading 64 MiB").isLessThan(1024L * 1024);
    assertThat(peakRise).as("heap peak rise while loading 64 MiB").isLessThan(8L * 1024 * 1024);
  }

  /** {@code tensors} bf16 tensors of ones, header and data streamed to the file. */
  static Path rawBf16File(Path file, int tensors, long elements) throws IOException {
    StringBuilder header = new StringBuilder("{");
    long bytes = elements * 2;
    for (int i = 0; i < tensors; i++) {
      header.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"BF16\",\"shape\":[").append(elements)
          .append("],\"data_offsets\":[").append(i * bytes).append(',').append((i + 1) * bytes).append("]}");
    }
    header.append('}');
    while ((header.length() % 8) != 0) header.append(' ');
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    while (chunk.hasRemaining()) chunk.putShort((short) 0x3f80); // bf16 1.0
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, json.length));
      out.write(ByteBuffer.wrap(json));
      for (long written = 0; written < tensors * bytes; written += chunk.capacity()) {
        chunk.rewind();
        out.write(chunk);
      }
    }
    return file;
  }

  private static StoredTensor tensor(Path file, String name) {
    return new TensorSet(ComponentReader.headers(file, new ArrayList<>())).get(name);
  }
}
