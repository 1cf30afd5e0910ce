package dev.urae.model.svd;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.presets.openblas_nolapack;

/**
 * Thin SVD through LAPACK {@code sgesdd} (divide and conquer, the routine
 * {@code torch.linalg.svd} uses on CPU), float32, from the OpenBLAS build that
 * {@code org.bytedeco:openblas} ships for this platform: no download at run time.
 */
public final class LapackSvd {
  static {
    Loader.load(openblas.class);
    Loader.load(openblas_nolapack.class);
  }

  private LapackSvd() {}

  /**
   * Decomposes a rows×cols row-major matrix. The input array is left untouched.
   *
   * @throws ArithmeticException when LAPACK reports that the decomposition did not converge
   */
  public static SingularTriplets decompose(float[] matrix, int rows, int cols) {
    if (rows < 1 || cols < 1) throw new IllegalArgumentException("matrix must be at least 1x1, was " + rows + "x" + cols);
    if (matrix.length != (long) rows * cols) {
      throw new IllegalArgumentException("matrix has " + matrix.length + " values, expected " + rows + "x" + cols);
    }
    int k = Math.min(rows, cols);
    // A row-major rows×cols array is the column-major cols×rows matrix Aᵀ. Decomposing Aᵀ in
    // LAPACK's native layout avoids the three transposing copies LAPACKE's row-major path
    // makes: Aᵀ = U'·S·V'ᵀ gives A = V'·S·U'ᵀ, and the column-major U' (cols×k) read row-major
    // is exactly Vᵀ of A (k×cols) while the column-major V'ᵀ (k×rows) read row-major is U of A.
    float[] a = matrix.clone(); // sgesdd destroys its input
    float[] s = new float[k];
    float[] u = new float[rows * k];
    float[] vt = new float[k * cols];
    int info = openblas.LAPACKE_sgesdd(openblas.LAPACK_COL_MAJOR, (byte) 'S', cols, rows, a, cols, s, vt, cols, u, k);
    if (info != 0) {
      throw new ArithmeticException("sgesdd failed on a " + rows + "x" + cols + " matrix (info " + info + ")");
    }
    return new SingularTriplets(rows, cols, u, s, vt);
  }

  /** Threads OpenBLAS may use for one call (process-wide). */
  public static void setThreads(int threads) {
    openblas_nolapack.blas_set_num_threads(Math.max(1, threads));
  }

  public static int threads() {
    return openblas_nolapack.blas_get_num_threads();
  }
}
