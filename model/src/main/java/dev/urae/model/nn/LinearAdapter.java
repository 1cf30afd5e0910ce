package dev.urae.model.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A trainable correction attached to one {@link AdaptableLinear}: the layer computes
 * {@code x·Wᵀ + b + delta(x)}. LoRA and minor-component adapters implement this.
 *
 * <p>Gradients: the base weight of an {@link AdaptableLinear} never requires a gradient, so
 * inside a {@code GradientCollector} only the arrays returned by {@link #trainableParameters()}
 * (which the adapter marks with {@code setRequiresGradient(true)}) accumulate gradients.
 *
 * <p>Memory: {@link #delta(NDArray)} should start its operations from {@code x} (for example
 * {@code x.matMul(aT)}), so that its intermediates land in the caller's scope and not in the
 * adapter's own manager.
 */
public interface LinearAdapter {

  /**
   * The additive correction for input {@code x} of shape {@code [..., in]}.
   *
   * @return an array of shape {@code [..., out]}
   */
  NDArray delta(NDArray x);

  /** The arrays an optimizer updates, in a stable order; each requires a gradient. */
  List<NDArray> trainableParameters();
}
