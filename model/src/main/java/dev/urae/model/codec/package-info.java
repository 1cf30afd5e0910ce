/**
 * The {@link dev.urae.model.codec.LatentCodec} port between images and latents (with the
 * encoder's posterior, {@link dev.urae.model.codec.LatentPosterior}), and the pixel-space
 * identity codec of the demo world.
 */
package dev.urae.model.codec;
