/**
 * Text conditioning: the {@link dev.urae.model.text.TextEncoder} port, the small trainable
 * demo encoder with its word vocabulary, and the reader of URAE's cached T5/CLIP features.
 */
package dev.urae.model.text;
