package dev.urae.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Runs one step of a network (a block, a layer) in its own {@link NDScope}: every array the step
 * creates is freed when it returns except its result, which joins the caller's scope. Freeing per
 * step keeps peak memory to one step's intermediates, and lets the native allocator hand the next
 * step memory it already holds instead of fresh pages (on CPU a fresh multi-MB page run costs
 * more than the element-wise operation that fills it).
 */
public final class Scoped {
  private Scoped() {}

  public static NDList run(Supplier<NDList> step) {
    NDList out;
    try (NDScope scope = new NDScope()) {
      out = step.get();
      NDScope.unregister(out);
    }
    for (NDArray array : out) NDScope.register(array);
    return out;
  }

  public static NDArray runArray(Supplier<NDArray> step) {
    return run(() -> new NDList(step.get())).singletonOrThrow();
  }
}
