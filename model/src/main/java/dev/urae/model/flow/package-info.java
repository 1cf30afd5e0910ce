/**
 * Rectified-flow training and sampling: the noisy state and velocity target, σ sampling from a
 * checkpointable {@link dev.urae.model.flow.SeededRandom}, schedules with static or FLUX
 * dynamic time shift, and the Euler sampler.
 */
package dev.urae.model.flow;
