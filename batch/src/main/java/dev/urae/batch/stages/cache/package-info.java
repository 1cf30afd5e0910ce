/**
 * The cache stage: planned one task per shard; its handler stores each teacher image's latents and
 * both captions' text features as safetensors. Imports {@code stages} and below; no other stage.
 */
package dev.urae.batch.stages.cache;
