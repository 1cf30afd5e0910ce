/**
 * The base model port: what the stages need of "the base model" ({@link
 * dev.urae.model.base.BaseModel}: text encoding, latent codec, transformer, rendering, native
 * resolution, weights digest, guidance default) and how an implementation is chosen ({@link
 * dev.urae.model.base.BaseModels}: by name over the {@link dev.urae.model.base.BaseModelProvider}s,
 * or as a local checkpoint through the {@link dev.urae.model.base.CheckpointFolders}, both found
 * by ServiceLoader). Imports the model's building blocks; never an implementation.
 */
package dev.urae.model.base;
