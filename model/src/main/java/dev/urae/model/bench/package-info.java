/**
 * Benchmarks of the model module, run through {@code urae bench model}; the PyTorch-eager
 * baseline scripts are resources beside them.
 */
package dev.urae.model.bench;
