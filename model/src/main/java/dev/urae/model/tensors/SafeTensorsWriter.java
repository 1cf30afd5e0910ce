package dev.urae.model.tensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a safetensors file: tensors in the order they were added, contiguous, header padded
 * with spaces to a multiple of 8 bytes (as the reference writer does, so data stays aligned).
 * Tensors are converted to bytes one at a time while writing, so saving a large model does not
 * need a second copy of it on the heap. The file appears atomically (written beside it, then
 * moved).
 */
public final class SafeTensorsWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Pending> tensors = new LinkedHashMap<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  /** Adds a {@code __metadata__} entry. */
  public SafeTensorsWriter metadata(String key, String value) {
    metadata.put(Objects.requireNonNull(key, "key == null"), Objects.requireNonNull(value, "value == null"));
    return this;
  }

  /** Adds every entry of {@code values} to {@code __metadata__}. */
  public SafeTensorsWriter metadata(Map<String, String> values) {
    values.forEach(this::metadata);
    return this;
  }

  /** Adds an array in its own type (float32, float16, bfloat16, int64, int32, uint8). */
  public SafeTensorsWriter add(String name, NDArray array) {
    DType dtype = DType.of(array.getDataType());
    return put(name, new Pending(dtype, array.getShape()) {
      @Override
      ByteBuffer bytes() {
        return array.toByteBuffer().order(ByteOrder.nativeOrder());
      }
    });
  }

  /** Adds a float32 array stored as {@code as} (F32, F16 or BF16). */
  public SafeTensorsWriter add(String name, NDArray array, DType as) {
    if (array.getDataType() != DataType.FLOAT32) throw new IllegalArgumentException(name + ": conversion needs a float32 array, got " + array.getDataType());
    return put(name, new Pending(as, array.getShape()) {
      @Override
      ByteBuffer bytes() {
        return encode(array.toFloatArray(), as);
      }
    });
  }

  /** Adds float values of the given shape stored as {@code as} (F32, F16 or BF16). */
  public SafeTensorsWriter addFloats(String name, Shape shape, float[] values, DType as) {
    if (shape.size() != values.length) throw new IllegalArgumentException(name + ": shape " + shape + " needs " + shape.size() + " values, got " + values.length);
    float[] copy = values.clone();
    return put(name, new Pending(as, shape) {
      @Override
      ByteBuffer bytes() {
        return encode(copy, as);
      }
    });
  }

  /** Adds raw little-endian bytes of the given type and shape. */
  public SafeTensorsWriter addBytes(String name, DType dtype, Shape shape, ByteBuffer littleEndian) {
    long expected = shape.size() * dtype.bytes();
    if (littleEndian.remaining() != expected) {
      throw new IllegalArgumentException(name + ": shape " + shape + " of " + dtype + " needs " + expected + " bytes, got " + littleEndian.remaining());
    }
    ByteBuffer copy = ByteBuffer.allocate(littleEndian.remaining()).put(littleEndian.duplicate()).flip();
    return put(name, new Pending(dtype, shape) {
      @Override
      ByteBuffer bytes() {
        return copy.duplicate();
      }
    });
  }

  /** Writes the file, replacing any existing one. */
  public void write(Path file) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, Pending> e : tensors.entrySet()) {
      Pending p = e.getValue();
      ObjectNode node = header.putObject(e.getKey());
      node.put("dtype", p.dtype.name());
      ArrayNode shape = node.putArray("shape");
      for (long d : p.shape.getShape()) shape.add(d);
      long length = p.shape.size() * p.dtype.bytes();
      node.putArray("data_offsets").add(offset).add(offset + length);
      offset += length;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) head.put((byte) ' ');
    head.flip();

    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".part");
    try {
      try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        writeFully(out, head);
        for (Map.Entry<String, Pending> e : tensors.entrySet()) {
          ByteBuffer bytes = e.getValue().bytes();
          if (bytes.order() != ByteOrder.LITTLE_ENDIAN && ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IOException("big-endian hosts are not supported");
          }
          writeFully(out, bytes);
        }
      }
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private SafeTensorsWriter put(String name, Pending pending) {
    Objects.requireNonNull(name, "name == null");
    if (name.equals("__metadata__")) throw new IllegalArgumentException("__metadata__ is reserved, not a tensor name");
    if (tensors.putIfAbsent(name, pending) != null) throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
    return this;
  }

  private static ByteBuffer encode(float[] values, DType as) {
    ByteBuffer out = ByteBuffer.allocate(values.length * as.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    switch (as) {
      case F32 -> out.asFloatBuffer().put(values);
      case F16 -> { for (int i = 0; i < values.length; i++) out.putShort(2 * i, HalfFloats.floatToF16(values[i])); }
      case BF16 -> { for (int i = 0; i < values.length; i++) out.putShort(2 * i, HalfFloats.floatToBf16(values[i])); }
      default -> throw new IllegalArgumentException("floats can be stored as F32, F16 or BF16, not " + as);
    }
    return out;
  }

  private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) out.write(bytes);
  }

  private abstract static class Pending {
    final DType dtype;
    final Shape shape;

    Pending(DType dtype, Shape shape) {
      this.dtype = dtype;
      this.shape = shape;
    }

    abstract ByteBuffer bytes();
  }
}
