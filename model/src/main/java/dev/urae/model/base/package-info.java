/**
 * The base model port: what the stages need of "the base model" ({@link
 * dev.urae.model.base.BaseModel}: text encoding, latent codec, transformer, rendering, native
 * resolution, weights digest, guidance default) and how an implementation is chosen by name
 * ({@link dev.urae.model.base.BaseModels}, over {@link dev.urae.model.base.BaseModelProvider}s
 * found by ServiceLoader). Imports the model's building blocks; never an implementation.
 */
package dev.urae.model.base;
