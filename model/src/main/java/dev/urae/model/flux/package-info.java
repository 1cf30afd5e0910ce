/**
 * The FLUX-family rectified-flow transformer: {@link dev.urae.model.flux.FluxConfig} and its
 * presets, the parameter layout by diffusers name ({@link dev.urae.model.flux.FluxLayout},
 * computed without allocating), the double- and single-stream blocks, RoPE, packing, and
 * {@link dev.urae.model.flux.FluxTransformer}, whose linear layers are all adaptable.
 */
package dev.urae.model.flux;
