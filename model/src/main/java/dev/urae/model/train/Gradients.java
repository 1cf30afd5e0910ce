package dev.urae.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/** A training step's gradients, read and reset the same way by every trainer. */
public final class Gradients {
  private Gradients() {}

  /**
   * Each parameter's gradient after a backward pass, by parameter name. The handles are attached
   * to {@code scope} and close with it; the parameters keep their gradient tensors.
   */
  public static Map<String, NDArray> collect(Map<String, NDArray> parameters, NDManager scope) {
    Map<String, NDArray> gradients = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      NDArray g = e.getValue().getGradient();
      g.attach(scope);
      gradients.put(e.getKey(), g);
    }
    return gradients;
  }

  /** Zeroes the gradients in place: PyTorch accumulates them across backward passes. */
  public static void zero(Map<String, NDArray> gradients) {
    for (NDArray g : gradients.values()) g.muli(0);
  }
}
