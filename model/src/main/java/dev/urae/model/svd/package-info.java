/**
 * Singular value decompositions of adapter target weights, for minor-component adapters.
 *
 * <p>DJL's PyTorch engine has no SVD operator, so {@link dev.urae.model.svd.TorchSvd} reaches
 * {@code torch.linalg.svd} through a TorchScript module and runs it where the weight lives
 * (cuSOLVER on a GPU): one layer at a time, only the r smallest triplets come back to the JVM.
 * Each result is kept in a {@link dev.urae.model.svd.DecompositionCache} keyed by the weight's
 * SHA-256 and the rank, so a second run over the same base model does no SVD at all. The cache
 * is a port: model/ knows nothing of object stores; the pipeline adapts it to one. {@link
 * dev.urae.model.svd.LapackSvd} (OpenBLAS {@code sgesdd} on the heap, the set-up's former route)
 * remains as the tests' oracle and the {@code urae bench svd} reference.
 */
package dev.urae.model.svd;
