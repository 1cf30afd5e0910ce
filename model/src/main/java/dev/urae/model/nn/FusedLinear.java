package dev.urae.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;

/**
 * Several {@link AdaptableLinear} layers that read the same input (to_q, to_k, to_v) computed
 * as one matrix product. Each layer stays addressable on its own, so adapters still target
 * q, k and v separately: their deltas are concatenated in the same order and added once.
 *
 * <p>The concatenated weight is built for each call, in the input's manager, and goes with the
 * step's intermediates: a persistent copy would hold every q/k/v and single-block input weight
 * twice (for FLUX.1-dev, 7.5 GB more in bf16). Concatenating is one pass over those weights per
 * forward, far less than the matrix products that read them.
 */
public final class FusedLinear {
  private final List<AdaptableLinear> parts;

  /** Fuses {@code parts}; they must share the input size and agree on having a bias. */
  public FusedLinear(List<AdaptableLinear> parts) {
    if (parts.isEmpty()) throw new IllegalArgumentException("parts is empty");
    int in = parts.get(0).inFeatures();
    boolean withBias = parts.get(0).hasBias();
    for (AdaptableLinear part : parts) {
      if (part.inFeatures() != in || part.hasBias() != withBias) {
        throw new IllegalArgumentException("fused layers must share input size and bias: " + parts);
      }
    }
    this.parts = List.copyOf(parts);
  }

  /**
   * The concatenated output {@code [..., sum(out_i)]}, adapters included. Run in a scope of its
   * own: the weight copies, the uncorrected product and the adapter deltas go on return.
   */
  public NDArray forward(NDArray x) {
    return Scoped.runArray(() -> adapted(x));
  }

  private NDArray adapted(NDArray x) {
    int last = x.getShape().dimension() - 1;
    NDArray y = parts.get(0).computesInStoredDType(x) ? storedDTypeProducts(x, last)
        : x.getNDArrayInternal().linear(x, concat(x, true), concat(x, false)).singletonOrThrow();
    int adapted = 0;
    for (AdaptableLinear part : parts) if (part.adapter() != null) adapted++;
    if (adapted == 0) return y;
    if (adapted == parts.size()) {
      NDList deltas = new NDList(parts.size());
      for (AdaptableLinear part : parts) deltas.add(part.adapter().delta(x));
      return y.add(NDArrays.concat(deltas, last));
    }
    // Some parts without adapters (proj_mlp beside q/k/v): correct only the adapted slices.
    NDList slices = y.split(splitPoints(), last);
    NDList corrected = new NDList(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      LinearAdapter adapter = parts.get(i).adapter();
      corrected.add(adapter == null ? slices.get(i) : slices.get(i).add(adapter.delta(x)));
    }
    return NDArrays.concat(corrected, last);
  }

  /**
   * bf16 mixed precision: the input cast to bf16 once (autograd saves that one half-width copy
   * for every part, instead of one per part), then each part's product on its own stored weight;
   * concatenating bf16 weights would make the second copy this mode avoids. The per-part outputs
   * go once concatenated.
   */
  private NDArray storedDTypeProducts(NDArray x, int last) {
    NDArray stored = StoredBf16.store(x);
    NDList outputs = new NDList(parts.size());
    for (AdaptableLinear part : parts) outputs.add(StoredDTypeLinear.forward(stored, part.weight(), part.bias()));
    NDArray y = NDArrays.concat(outputs, last);
    outputs.close();
    return y;
  }

  private long[] splitPoints() {
    long[] points = new long[parts.size() - 1];
    long offset = 0;
    for (int i = 0; i < points.length; i++) {
      offset += parts.get(i).outFeatures();
      points[i] = offset;
    }
    return points;
  }

  /** The members' weights (or biases, null when they have none) concatenated in {@code x}'s dtype and manager. */
  private NDArray concat(NDArray x, boolean weights) {
    if (!weights && !parts.get(0).hasBias()) return null;
    NDList members = new NDList(parts.size());
    for (AdaptableLinear part : parts) members.add(weights ? part.weight() : part.bias());
    NDArray joined = NDArrays.concat(members, 0);
    joined.attach(x.getManager());
    return AdaptableLinear.castFor(joined, x);
  }
}
