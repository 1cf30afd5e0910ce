/**
 * What every model component of a checkpoint (text encoders, VAE) shares: its configuration as
 * the checkpoint's {@code config.json} states it ({@link dev.urae.model.component.ComponentConfig},
 * read through {@link dev.urae.model.component.ConfigJson} with errors that name file and key),
 * and a writer of complete random-weight components in the transformers/diffusers layout
 * ({@link dev.urae.model.component.RandomComponent}) for tests and dry runs.
 */
package dev.urae.model.component;
