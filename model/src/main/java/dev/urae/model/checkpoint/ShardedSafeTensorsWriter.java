package dev.urae.model.checkpoint;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.model.tensors.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes a component's weights the way diffusers and transformers save them: one
 * {@code <base>.safetensors} when they fit in a shard, else
 * {@code <base>-0000i-of-0000n.safetensors} plus {@code <base>.safetensors.index.json}
 * ({@code metadata.total_size} and the {@code weight_map}). Tensor bytes are streamed from their
 * source (a byte range of another file through {@code transferTo}, or generated in chunks), so
 * writing a 24 GB checkpoint needs no heap. Each file appears atomically.
 */
public final class ShardedSafeTensorsWriter {
  /** Writes exactly a tensor's bytes, little-endian, to {@code out} at its current position. */
  public interface Bytes {
    void writeTo(FileChannel out) throws IOException;
  }

  /** One tensor to write. */
  public record Entry(String name, DType dtype, Shape shape, Bytes bytes) {
    public Entry {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(dtype, "dtype == null");
      Objects.requireNonNull(shape, "shape == null");
      Objects.requireNonNull(bytes, "bytes == null");
    }

    long byteLength() {
      return shape.size() * dtype.bytes();
    }

    /** A stored tensor copied byte for byte, from its ranges. */
    public static Entry copyOf(StoredTensor t) {
      return new Entry(t.name(), t.dtype(), t.shape(), out -> {
        for (ByteRange r : t.ranges()) {
          try (FileChannel in = FileChannel.open(r.file(), StandardOpenOption.READ)) {
            long done = 0;
            while (done < r.length()) {
              long n = in.transferTo(r.offset() + done, r.length() - done, out);
              if (n <= 0 && in.size() < r.offset() + r.length()) throw new IOException(r.file() + ": ends before byte " + (r.offset() + r.length()) + " (truncated?)");
              done += n;
            }
          }
        }
      });
    }
  }

  private ShardedSafeTensorsWriter() {}

  /**
   * Writes {@code entries} into {@code dir} under {@code base} ({@code diffusion_pytorch_model},
   * {@code model}), starting a new shard before a tensor that would take a shard past
   * {@code maxShardBytes}.
   *
   * @return the files written (shards, then the index when there is one)
   */
  public static List<Path> write(Path dir, String base, List<Entry> entries, long maxShardBytes) throws IOException {
    List<List<Entry>> shards = new ArrayList<>();
    List<Entry> current = new ArrayList<>();
    long size = 0;
    for (Entry e : entries) {
      if (!current.isEmpty() && size + e.byteLength() > maxShardBytes) {
        shards.add(current);
        current = new ArrayList<>();
        size = 0;
      }
      current.add(e);
      size += e.byteLength();
    }
    shards.add(current);
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    if (shards.size() == 1) {
      written.add(writeShard(dir.resolve(base + ".safetensors"), shards.get(0)));
      return written;
    }
    ObjectNode index = ComponentReader.JSON.createObjectNode();
    long total = 0;
    for (Entry e : entries) total += e.byteLength();
    index.putObject("metadata").put("total_size", total);
    ObjectNode map = index.putObject("weight_map");
    for (int i = 0; i < shards.size(); i++) {
      String name = String.format("%s-%05d-of-%05d.safetensors", base, i + 1, shards.size());
      written.add(writeShard(dir.resolve(name), shards.get(i)));
      for (Entry e : shards.get(i)) map.put(e.name(), name);
    }
    Path indexFile = dir.resolve(base + ".safetensors.index.json");
    ComponentReader.JSON.writerWithDefaultPrettyPrinter().writeValue(indexFile.toFile(), index);
    written.add(indexFile);
    return written;
  }

  private static Path writeShard(Path file, List<Entry> entries) throws IOException {
    ObjectNode header = ComponentReader.JSON.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Entry e : entries) {
      ObjectNode node = header.putObject(e.name());
      node.put("dtype", e.dtype().name());
      ArrayNode shape = node.putArray("shape");
      for (long d : e.shape().getShape()) shape.add(d);
      node.putArray("data_offsets").add(offset).add(offset + e.byteLength());
      offset += e.byteLength();
    }
    byte[] json = ComponentReader.JSON.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) head.put((byte) ' ');
    head.flip();
    // Beside the target with the usual permissions (a temp file would be owner-only).
    Path temporary = file.resolveSibling(file.getFileName() + ".part");
    try {
      try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        while (head.hasRemaining()) out.write(head);
        long expected = 8 + padded;
        for (Entry e : entries) {
          e.bytes().writeTo(out);
          expected += e.byteLength();
          if (out.position() != expected) {
            throw new IOException(file + ": tensor '" + e.name() + "' wrote " + (out.position() - expected + e.byteLength()) + " bytes, expected " + e.byteLength());
          }
        }
      }
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
    return file;
  }
}
