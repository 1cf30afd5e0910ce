/**
 * Layers the transformer is built from. {@link dev.urae.model.nn.AdaptableLinear} is the hook
 * for adapters: a frozen {@code x·Wᵀ + b} plus an optional {@link dev.urae.model.nn.LinearAdapter}
 * delta; {@link dev.urae.model.nn.FusedLinear} runs several of them that share an input as one
 * matrix product while keeping each addressable.
 */
package dev.urae.model.nn;
