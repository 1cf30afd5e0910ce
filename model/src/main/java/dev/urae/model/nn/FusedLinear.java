package dev.urae.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import java.util.List;

/**
 * Several {@link AdaptableLinear} layers that read the same input (to_q, to_k, to_v) computed
 * as one matrix product. Each layer stays addressable on its own, so adapters still target
 * q, k and v separately: their deltas are concatenated in the same order and added once.
 *
 * <p>The concatenated weight is cached and rebuilt whenever a member's {@link
 * AdaptableLinear#version()} changes. The cache costs one extra copy of the members' weights.
 */
public final class FusedLinear {
  private final List<AdaptableLinear> parts;
  private final long[] seenVersions;
  private NDArray weight;
  private NDArray bias;

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
    this.seenVersions = new long[parts.size()];
  }

  /** The concatenated output {@code [..., sum(out_i)]}, adapters included. */
  public NDArray forward(NDArray x) {
    refresh();
    NDArray y = x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    int adapted = 0;
    for (AdaptableLinear part : parts) if (part.adapter() != null) adapted++;
    if (adapted == 0) return y;
    int last = x.getShape().dimension() - 1;
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

  private long[] splitPoints() {
    long[] points = new long[parts.size() - 1];
    long offset = 0;
    for (int i = 0; i < points.length; i++) {
      offset += parts.get(i).outFeatures();
      points[i] = offset;
    }
    return points;
  }

  private void refresh() {
    boolean stale = weight == null;
    for (int i = 0; i < parts.size(); i++) stale |= parts.get(i).version() != seenVersions[i];
    if (!stale) return;
    if (weight != null) weight.close();
    if (bias != null) bias.close();
    NDList weights = new NDList();
    NDList biases = new NDList();
    for (int i = 0; i < parts.size(); i++) {
      weights.add(parts.get(i).weight());
      if (parts.get(i).hasBias()) biases.add(parts.get(i).bias());
      seenVersions[i] = parts.get(i).version();
    }
    weight = NDArrays.concat(weights, 0);
    bias = biases.isEmpty() ? null : NDArrays.concat(biases, 0);
    // The cache outlives any scope the forward pass runs in.
    NDScope.unregister(weight);
    if (bias != null) NDScope.unregister(bias);
  }
}
