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
 * <p>Memory: DJL puts an operation's result in the manager of the array it is called on, so
 * {@link #delta(NDArray)} must start every operation from {@code x}, never from a parameter:
 * {@code a.transpose()} would leave one array per call in the adapter's long-lived manager
 * (28 per training step on the demo model, 380 on FLUX.1-dev).
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

  /**
   * {@code (x·aᵀ)·bᵀ} for {@code a [r, in]} and {@code b [out, r]}, with every intermediate in
   * {@code x}'s manager.
   */
  static NDArray lowRank(NDArray x, NDArray a, NDArray b) {
    NDArray h = x.getNDArrayInternal().linear(x, a, null).singletonOrThrow();
    return h.getNDArrayInternal().linear(h, b, null).singletonOrThrow();
  }
}
