package dev.urae.model.flux;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import dev.urae.model.nn.Autograd;
import dev.urae.model.nn.StoredBf16;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Forward and backward through a chain of segments with activation checkpointing (see
 * {@link FluxTransformer#forwardBackwardCheckpointed}). The conditioning vector every segment
 * reads enters each segment as one shared leaf, so its gradient sums over all segments and goes
 * back through the conditioning graph once, together with the gradient of the chain's input.
 */
final class CheckpointedPass {
  private final List<FluxTransformer.Segment> segments;
  private final BiFunction<NDList, NDArray, NDArray> head;
  private final boolean keepBf16;

  /**
   * @param keepBf16 keep each segment's input in bf16 (half the bytes; the recomputation starts
   *     from the rounded input, so gradients move by bf16's rounding) instead of float32 (exact)
   */
  CheckpointedPass(List<FluxTransformer.Segment> segments, BiFunction<NDList, NDArray, NDArray> head, boolean keepBf16) {
    this.segments = List.copyOf(segments);
    this.head = head;
    this.keepBf16 = keepBf16;
  }

  /**
   * @param first the chain's input, attached to the graph that produced it
   * @param siluVec the conditioning, attached to its graph
   * @param loss the velocity to a scalar loss
   * @return the loss, detached
   */
  NDArray run(NDList first, NDArray siluVec, Function<NDArray, NDArray> loss) {
    NDArray conditioning = Autograd.leaf(siluVec);

    // Forward without a graph, keeping every segment's input.
    List<NDList> inputs = new ArrayList<>();
    NDList carry = Autograd.detached(first);
    boolean recording = Autograd.isRecording();
    Autograd.setRecording(false);
    try {
      for (FluxTransformer.Segment segment : segments) {
        inputs.add(keepBf16 ? stored(carry) : carry);
        NDList next = FluxTransformer.runScoped(segment, carry, conditioning);
        // a float32 input kept in bf16 is not needed any more (the first is a view of the stem's output)
        if (keepBf16) carry.close();
        carry = next;
      }
    } finally {
      Autograd.setRecording(recording);
    }

    // Head and loss with a graph, from the last carry.
    NDList last = Autograd.leaves(carry);
    NDArray value = loss.apply(head.apply(last, conditioning));
    Autograd.backward(new NDList(value), new NDList(value.onesLike()));
    NDList gradients = Autograd.gradients(last);

    // Backward, newest segment first: recompute it from its kept input, push the gradient through.
    for (int i = segments.size() - 1; i >= 0; i--) {
      NDList next;
      try (NDScope scope = new NDScope()) {
        NDList in = Autograd.leaves(keepBf16 ? restored(inputs.get(i)) : inputs.get(i));
        Autograd.backward(segments.get(i).apply(in, conditioning), gradients);
        next = Autograd.gradients(in);
        NDScope.unregister(next);
      }
      gradients.close();
      inputs.get(i).close();
      gradients = next;
    }

    // The stem: the chain's input and the conditioning, with their summed gradients.
    NDList roots = new NDList(first);
    roots.add(siluVec);
    gradients.add(conditioning.getGradient());
    Autograd.backward(roots, gradients);
    return value.stopGradient();
  }

  private static NDList stored(NDList xs) {
    NDList out = new NDList(xs.size());
    for (NDArray x : xs) out.add(StoredBf16.store(x));
    return out;
  }

  private static NDList restored(NDList xs) {
    NDList out = new NDList(xs.size());
    for (NDArray x : xs) out.add(StoredBf16.restore(x));
    return out;
  }
}
