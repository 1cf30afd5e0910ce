package dev.urae.model.tensors;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/** Something whose weights are addressed by name, so {@link ModelWeights} can load and save it. */
public interface NamedParameters {
  /** Every parameter's name and shape, in a stable order. */
  List<TensorSpec> layout();

  /** Every parameter by name, same order as {@link #layout()}. */
  Map<String, NDArray> parameters();

  /** Replaces one parameter; the array's ownership moves to the receiver. */
  void setParameter(String name, NDArray value);
}
