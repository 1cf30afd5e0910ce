package dev.urae.model.checkpoint;

import ai.djl.ndarray.types.Shape;
import dev.urae.model.tensors.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A tensor of a checkpoint known from file headers alone: its name (in the layout the model
 * uses), stored dtype, shape and the byte ranges that hold it, concatenated in order. A tensor
 * read straight from a safetensors file has one range; a tensor mapped from another layout
 * (BFL's fused q/k/v split into to_q, to_k, to_v, the final modulation's halves swapped) has
 * one or more ranges of the source tensor. Nothing is read until a loader asks for the bytes.
 */
public record StoredTensor(String name, DType dtype, Shape shape, List<ByteRange> ranges) {
  public StoredTensor {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(dtype, "dtype == null");
    Objects.requireNonNull(shape, "shape == null");
    ranges = List.copyOf(ranges);
    long bytes = 0;
    for (ByteRange r : ranges) bytes += r.length();
    if (bytes != shape.size() * dtype.bytes()) {
      throw new IllegalArgumentException(name + ": " + bytes + " bytes in ranges, but shape " + shape + " of " + dtype + " needs " + shape.size() * dtype.bytes());
    }
  }

  /** Number of elements (parameters). */
  public long parameterCount() {
    return shape.size();
  }

  /** Bytes as stored, which is also the memory the tensor takes once loaded in its stored dtype. */
  public long byteLength() {
    return shape.size() * dtype.bytes();
  }

  /** The shape as a header writes it: {@code [3072, 64]}. */
  public String shapeText() {
    return text(shape);
  }

  /** Rows {@code [first, first + count)} along dimension 0 under a new name (row-major: contiguous bytes). */
  public StoredTensor rows(String newName, long first, long count) {
    long rows = shape.get(0);
    if (first < 0 || count < 0 || first + count > rows) {
      throw new IllegalArgumentException(name + ": rows [" + first + ", " + (first + count) + ") outside [0, " + rows + ")");
    }
    long rowBytes = byteLength() / Math.max(rows, 1);
    long[] dims = shape.getShape().clone();
    dims[0] = count;
    return new StoredTensor(newName, dtype, new Shape(dims), slice(first * rowBytes, count * rowBytes));
  }

  /** The same bytes under another name and shape with as many elements. */
  public StoredTensor as(String newName, Shape newShape) {
    return new StoredTensor(newName, dtype, newShape, ranges);
  }

  /** Parts of one dtype and matching trailing dims concatenated along dimension 0. */
  public static StoredTensor concatRows(String name, List<StoredTensor> parts) {
    StoredTensor first = parts.get(0);
    long rows = 0;
    List<ByteRange> all = new ArrayList<>();
    for (StoredTensor p : parts) {
      if (p.dtype != first.dtype || !p.shape.slice(1).equals(first.shape.slice(1))) {
        throw new IllegalArgumentException(name + ": cannot concatenate " + p.name + " " + p.shapeText() + " " + p.dtype + " with " + first.name + " " + first.shapeText() + " " + first.dtype);
      }
      rows += p.shape.get(0);
      all.addAll(p.ranges);
    }
    long[] dims = first.shape.getShape().clone();
    dims[0] = rows;
    return new StoredTensor(name, first.dtype, new Shape(dims), all);
  }

  private List<ByteRange> slice(long begin, long length) {
    List<ByteRange> out = new ArrayList<>();
    long position = 0;
    long end = begin + length;
    for (ByteRange r : ranges) {
      long from = Math.max(begin, position);
      long to = Math.min(end, position + r.length());
      if (from < to) out.add(new ByteRange(r.file(), r.offset() + (from - position), to - from));
      position += r.length();
    }
    return out;
  }

  static String text(Shape shape) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < shape.dimension(); i++) b.append(i == 0 ? "" : ", ").append(shape.get(i));
    return b.append(']').toString();
  }
}
