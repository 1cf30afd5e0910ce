/**
 * The {@link dev.urae.model.codec.LatentCodec} port between images and latents, and the
 * pixel-space identity codec of the demo world.
 */
package dev.urae.model.codec;
