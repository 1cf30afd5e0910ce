package dev.urae.model.demo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.nn.LinearAdapter;
import java.util.ArrayList;
import java.util.List;

/**
 * A full-rank trainable update ΔW, Δb of one layer, zero at the start. Base weights of an
 * {@link AdaptableLinear} never take gradients, so pretraining trains W + ΔW through this
 * adapter and folds it in at the end.
 */
final class FullRankDelta implements LinearAdapter {
  private final NDArray weight;
  private final NDArray bias;

  FullRankDelta(NDManager manager, AdaptableLinear layer) {
    this.weight = manager.zeros(new Shape(layer.outFeatures(), layer.inFeatures()));
    this.bias = layer.hasBias() ? manager.zeros(new Shape(layer.outFeatures())) : null;
    weight.setRequiresGradient(true);
    if (bias != null) bias.setRequiresGradient(true);
  }

  @Override
  public NDArray delta(NDArray x) {
    return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
  }

  @Override
  public List<NDArray> trainableParameters() {
    List<NDArray> params = new ArrayList<>();
    params.add(weight);
    if (bias != null) params.add(bias);
    return params;
  }

  /** Folds ΔW, Δb into the layer and detaches. */
  void fold(AdaptableLinear layer) {
    layer.setWeight(layer.weight().add(weight.stopGradient()));
    if (bias != null) layer.setBias(layer.bias().add(bias.stopGradient()));
    layer.detach();
  }
}
