package dev.urae.model.tensors;

import ai.djl.ndarray.types.Shape;

/**
 * One tensor of a safetensors header: its dtype, shape and byte range {@code [begin, end)}
 * relative to the start of the data buffer.
 */
public record TensorEntry(String name, DType dtype, Shape shape, long begin, long end) {
  /** Bytes the tensor occupies. */
  public long byteLength() {
    return end - begin;
  }

  /** The shape as the header writes it, e.g. {@code [3072, 64]}. */
  public String shapeText() {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < shape.dimension(); i++) b.append(i == 0 ? "" : ", ").append(shape.get(i));
    return b.append(']').toString();
  }
}
