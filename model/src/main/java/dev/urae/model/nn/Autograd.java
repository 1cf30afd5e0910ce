package dev.urae.model.nn;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's autograd where DJL's API stops short: the thread's grad mode, leaves cut from a
 * graph, and a backward pass from several roots with incoming gradients (what activation
 * checkpointing needs).
 *
 * <p>PyTorch's grad mode is per thread and starts enabled on every new thread; DJL switches it
 * off only on the thread that loads the engine. A task that runs on another pool thread would
 * then record graphs for inference and, after a GradientCollector closes, keep grad mode on, so
 * the optimizer's in-place update of a parameter fails ("a leaf Variable that requires grad is
 * being used in an in-place operation"). Code that trains or samples calls
 * {@link #disableOnThisThread()} first.
 */
public final class Autograd {
  private Autograd() {}

  /** Turns gradient recording off on the calling thread (GradientCollector turns it on and back off). */
  public static void disableOnThisThread() {
    JniUtils.setGradMode(false);
  }

  /** Whether the calling thread records graphs. */
  public static boolean isRecording() {
    return JniUtils.isGradMode();
  }

  /** Switches graph recording on the calling thread. */
  public static void setRecording(boolean on) {
    JniUtils.setGradMode(on);
  }

  /** {@code x}'s values cut from its graph, sharing storage. */
  public static NDList detached(NDList xs) {
    NDList out = new NDList(xs.size());
    for (NDArray x : xs) out.add(x.stopGradient());
    return out;
  }

  /** {@code x}'s values as a new leaf that collects its own gradient, sharing storage. */
  public static NDArray leaf(NDArray x) {
    NDArray leaf = x.stopGradient();
    leaf.setRequiresGradient(true);
    return leaf;
  }

  /** {@link #leaf} of each. */
  public static NDList leaves(NDList xs) {
    NDList out = new NDList(xs.size());
    for (NDArray x : xs) out.add(leaf(x));
    return out;
  }

  /** The gradient each leaf collected. */
  public static NDList gradients(NDList leaves) {
    NDList out = new NDList(leaves.size());
    for (NDArray leaf : leaves) out.add(leaf.getGradient());
    return out;
  }

  /**
   * Back-propagates {@code gradients[i]} from {@code roots[i]}. Several roots are joined flat
   * into one, whose gradient is the joined gradients: each piece's gradient reaches its own
   * root, in one backward pass. Roots outside any graph contribute nothing; when no root is in a
   * graph (nothing upstream trains) there is nothing to do.
   */
  public static void backward(NDList roots, NDList gradients) {
    if (roots.size() != gradients.size()) throw new IllegalArgumentException(roots.size() + " roots but " + gradients.size() + " gradients");
    NDArray root = roots.size() == 1 ? roots.get(0) : NDArrays.concat(flat(roots));
    NDArray gradient = gradients.size() == 1 ? gradients.get(0) : NDArrays.concat(flat(gradients));
    try {
      JniUtils.backward((PtNDArray) root, (PtNDArray) gradient, false, false);
    } catch (EngineException e) {
      // DJL can tell neither "has a grad_fn" (its requiresGrad answers false for results, and
      // asking a tensor outside a graph for its grad_fn name crashes the JVM), so ask PyTorch.
      if (e.getMessage() == null || !e.getMessage().contains("does not require grad and does not have a grad_fn")) throw e;
    }
  }

  private static NDList flat(NDList xs) {
    NDList out = new NDList(xs.size());
    for (NDArray x : xs) out.add(x.reshape(-1));
    return out;
  }
}
