package dev.urae.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * Float32 activations stored as bfloat16, at half the bytes: what activation checkpointing keeps
 * of each block input under {@link Precision#BF16}. DJL 0.36 kills the JVM when Java casts to
 * bf16, so the cast down runs in {@code to-bfloat16.pt} (written by
 * {@code model/scripts/torch_ops.py}); DJL's {@code toType} brings it back to float32.
 */
public final class StoredBf16 {
  private StoredBf16() {}

  /** {@code x} rounded to bf16, a new array in {@code x}'s manager (DJL reports its dtype as UNKNOWN). */
  public static NDArray store(NDArray x) {
    return ToBFloat16.MODULE.forward(new NDList(x)).singletonOrThrow();
  }

  /** A float32 copy of a {@link #store stored} array, in its manager. */
  public static NDArray restore(NDArray stored) {
    return stored.toType(DataType.FLOAT32, true);
  }

  /** Loads once per JVM, on first use. */
  private static final class ToBFloat16 {
    static final ScriptedModule MODULE = ScriptedModule.load(StoredBf16.class, "to-bfloat16.pt");
  }
}
