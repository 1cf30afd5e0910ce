package dev.urae.model.flux;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.nn.LayerNorm;
import dev.urae.model.nn.Scoped;

/**
 * adaLN modulation: a linear map of {@code silu(vec)} cut into {@code chunks} vectors of the
 * hidden width, and {@code modulate(x) = LayerNorm(x)·(1 + scale) + shift}.
 */
final class AdaLayerNorm {
  private AdaLayerNorm() {}

  /** {@code linear(siluVec)} split into {@code chunks} arrays of shape [B, 1, D], in FLUX order. */
  static NDList chunks(AdaptableLinear linear, NDArray siluVec, int chunks) {
    return linear.forward(siluVec).expandDims(1).split(chunks, 2);
  }

  /** {@code norm(x)·(1 + scale) + shift}; the normalised and scaled intermediates go on return. */
  static NDArray modulate(LayerNorm norm, NDArray x, NDArray shift, NDArray scale) {
    return Scoped.runArray(() -> norm.forward(x).mul(scale.add(1f)).add(shift));
  }
}
