/**
 * The adapt stage: one training task over the cached features, with checkpoints and the SVD cache
 * in the store; writes the adapter and the training history. Imports {@code stages} and below; no
 * other stage.
 */
package dev.urae.batch.stages.adapt;
