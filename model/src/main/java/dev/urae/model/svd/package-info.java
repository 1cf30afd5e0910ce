/**
 * Singular value decompositions of adapter target weights, for minor-component adapters.
 *
 * <p>DJL's PyTorch engine has no SVD operator, so decompositions run LAPACK {@code sgesdd}
 * from OpenBLAS (through {@code org.bytedeco:openblas}) in float32. Decompositions of
 * different layers run in parallel, bounded by the cores, and each result is kept in a
 * {@link dev.urae.model.svd.DecompositionCache} keyed by the weight's SHA-256 and the rank, so
 * a second run over the same base model does no SVD at all. The cache is a port: model/ knows
 * nothing of object stores; the pipeline adapts it to one.
 */
package dev.urae.model.svd;
