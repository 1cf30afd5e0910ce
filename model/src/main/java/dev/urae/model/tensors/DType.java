package dev.urae.model.tensors;

import ai.djl.ndarray.types.DataType;

/** The safetensors element types this project reads and writes. */
public enum DType {
  F32(4, DataType.FLOAT32),
  F16(2, DataType.FLOAT16),
  BF16(2, DataType.BFLOAT16),
  I64(8, DataType.INT64),
  I32(4, DataType.INT32),
  U8(1, DataType.UINT8);

  private final int bytes;
  private final DataType djl;

  DType(int bytes, DataType djl) {
    this.bytes = bytes;
    this.djl = djl;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** Whether the type holds floating-point numbers. */
  public boolean isFloating() {
    return this == F32 || this == F16 || this == BF16;
  }

  /** The DJL type of the same width. */
  public DataType djl() {
    return djl;
  }

  /** The safetensors type for a DJL type; float64 and others are not supported. */
  public static DType of(DataType type) {
    for (DType d : values()) if (d.djl == type) return d;
    throw new IllegalArgumentException("no safetensors dtype for " + type + " (supported: F32, F16, BF16, I64, I32, U8)");
  }

  /** The type named {@code name} in a header, or null when unknown. */
  static DType parse(String name) {
    for (DType d : values()) if (d.name().equals(name)) return d;
    return null;
  }
}
