package dev.urae.model.svd;

import java.util.Objects;

/** A named rows×cols row-major float32 weight to decompose (module name, for messages). */
public record WeightMatrix(String name, float[] values, int rows, int cols) {
  public WeightMatrix {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(values, "values == null");
    if (rows < 1 || cols < 1 || values.length != (long) rows * cols) {
      throw new IllegalArgumentException(name + ": " + values.length + " values do not make a " + rows + "x" + cols + " matrix");
    }
  }
}
