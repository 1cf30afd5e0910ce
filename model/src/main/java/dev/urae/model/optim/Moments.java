package dev.urae.model.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;

/** Per-parameter state slots shared by the optimizers. */
final class Moments {
  private Moments() {}

  static NDArray gradient(Map<String, NDArray> gradients, String name) {
    NDArray g = gradients.get(name);
    if (g == null) throw new IllegalArgumentException("no gradient for parameter " + name);
    return g;
  }

  /**
   * The state array {@code key} of parameter {@code p}: restored from a snapshot when one is
   * pending, else zeros. It lives in the parameter's manager, beside the parameter.
   */
  static NDArray slot(Map<String, NDArray> slots, Map<String, OptimizerState.StateTensor> pending, String key, String name, NDArray p) {
    return slots.computeIfAbsent(name, n -> {
      OptimizerState.StateTensor saved = pending.get(key);
      if (saved == null) return p.getManager().zeros(p.getShape(), p.getDataType());
      Shape shape = new Shape(saved.shape());
      if (!shape.equals(p.getShape())) {
        throw new IllegalArgumentException("optimizer state " + key + " has shape " + shape + " but the parameter has " + p.getShape());
      }
      return p.getManager().create(saved.values(), shape);
    });
  }

  /** Like {@link #slot} but the fresh value is a copy of the parameter (Prodigy's x₀). */
  static NDArray anchor(Map<String, NDArray> slots, Map<String, OptimizerState.StateTensor> pending, String key, String name, NDArray p) {
    if (!slots.containsKey(name) && !pending.containsKey(key)) {
      NDArray copy = p.duplicate();
      copy.attach(p.getManager());
      if (copy.hasGradient()) copy = copy.stopGradient();
      slots.put(name, copy);
    }
    return slot(slots, pending, key, name, p);
  }

  /** Attaches arrays to {@code scope} until it closes, so the results of their operations land there. */
  static void borrow(ai.djl.ndarray.NDManager scope, NDArray... arrays) {
    for (NDArray a : arrays) a.tempAttach(scope);
  }

  static OptimizerState.StateTensor snapshot(NDArray array) {
    return new OptimizerState.StateTensor(array.getShape().getShape(), array.toFloatArray());
  }
}
