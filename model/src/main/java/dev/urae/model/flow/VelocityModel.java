package dev.urae.model.flow;

import ai.djl.ndarray.NDArray;

/** A velocity predictor as the sampler sees it: the conditioning is captured by the caller. */
@FunctionalInterface
public interface VelocityModel {
  /** The predicted velocity at state {@code x} and noise level {@code sigma}, same shape as {@code x}. */
  NDArray velocity(NDArray x, float sigma);
}
