package dev.urae.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * {@code float(linear(x.to(w.dtype), w, b))} through {@code stored-dtype-linear.pt} (written by
 * {@code model/scripts/torch_ops.py}): DJL 0.36 cannot cast to bf16 from Java, but a scripted
 * cast works and autograd records through it. The product runs in the weight's dtype; autograd
 * keeps the stored weight itself for the backward pass, not a float32 copy.
 */
final class StoredDTypeLinear {
  private StoredDTypeLinear() {}

  /** {@code x} float32 {@code [..., in]}, {@code weight} [out, in] and {@code bias} [out] or null as stored; float32 out, in x's manager. */
  static NDArray forward(NDArray x, NDArray weight, NDArray bias) {
    NDArray b = bias != null ? bias : x.getManager().create(new float[0], new Shape(0));
    return Holder.MODULE.forward(new NDList(x, weight, b)).singletonOrThrow();
  }

  /** Loads once per JVM, on first use. */
  private static final class Holder {
    static final ScriptedModule MODULE = ScriptedModule.load(StoredDTypeLinear.class, "stored-dtype-linear.pt");
  }
}
