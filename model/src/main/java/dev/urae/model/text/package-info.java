/**
 * Text conditioning: the {@link dev.urae.model.text.TextEncoder} port, FLUX's CLIP + T5
 * conditioning ({@link dev.urae.model.text.FluxTextEncoder}, over {@code text.clip},
 * {@code text.t5} and {@code text.tokenizer}), the small trainable demo encoder with its word
 * vocabulary, and the reader/writer of URAE's cached T5/CLIP features.
 */
package dev.urae.model.text;
