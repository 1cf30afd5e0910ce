/**
 * FLUX's VAE (diffusers' {@code AutoencoderKL}): configuration, encoder to the posterior (mean
 * and std), decoder, and the latent normalisation {@code (z − shift) · scale} the transformer
 * works in.
 */
package dev.urae.model.vae;
