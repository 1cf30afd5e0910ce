/**
 * The T5 v1.1 encoder as FLUX uses it (transformers' {@code T5EncoderModel}: RMS norm,
 * relative-position buckets computed in the first layer and shared by all, gated-GELU
 * feed-forward, no biases, no attention scaling): its configuration and forward pass on DJL.
 */
package dev.urae.model.text.t5;
