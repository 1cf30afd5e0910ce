package dev.urae.model.tensors;

import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/** A named tensor's shape, known without allocating it. */
public record TensorSpec(String name, Shape shape) {
  public TensorSpec {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(shape, "shape == null");
  }

  /** Number of elements. */
  public long size() {
    return shape.size();
  }
}
