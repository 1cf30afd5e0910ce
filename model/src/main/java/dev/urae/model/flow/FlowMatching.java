package dev.urae.model.flow;

import ai.djl.ndarray.NDArray;

/**
 * Rectified-flow arithmetic: the straight path {@code x_σ = (1−σ)·x0 + σ·ε} from data
 * (σ = 0) to noise (σ = 1), its velocity {@code ε − x0}, and the mean-squared-error loss.
 * {@code sigma} is per sample ([B]) and broadcasts over the other axes.
 */
public final class FlowMatching {
  private FlowMatching() {}

  /** {@code (1−σ)·x0 + σ·ε} for {@code x0, noise [B, ...]} and {@code sigma [B]}. */
  public static NDArray noisy(NDArray x0, NDArray noise, NDArray sigma) {
    NDArray s = broadcastable(sigma, x0);
    return x0.add(noise.sub(x0).mul(s));
  }

  /** The velocity target {@code ε − x0}. */
  public static NDArray target(NDArray x0, NDArray noise) {
    return noise.sub(x0);
  }

  /** {@code mean((prediction − target)²)}, a scalar. */
  public static NDArray loss(NDArray prediction, NDArray target) {
    return prediction.sub(target).square().mean();
  }

  /** Reshapes [B] to [B, 1, …, 1] to broadcast against {@code like}. */
  static NDArray broadcastable(NDArray sigma, NDArray like) {
    long[] shape = new long[like.getShape().dimension()];
    java.util.Arrays.fill(shape, 1);
    shape[0] = like.getShape().get(0);
    return sigma.reshape(shape);
  }
}
