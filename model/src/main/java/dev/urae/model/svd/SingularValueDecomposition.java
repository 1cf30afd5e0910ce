package dev.urae.model.svd;

import java.util.Arrays;

/**
 * A thin singular value decomposition A = U·diag(S)·Vᵀ of a rows×cols float32 matrix, with
 * k = min(rows, cols) singular values in descending order. Arrays are row-major: U is
 * rows×k, Vᵀ is k×cols.
 */
public final class SingularValueDecomposition {
  private final int rows;
  private final int cols;
  private final float[] u;
  private final float[] s;
  private final float[] vt;

  SingularValueDecomposition(int rows, int cols, float[] u, float[] s, float[] vt) {
    int k = Math.min(rows, cols);
    if (u.length != rows * k) throw new IllegalArgumentException("u has " + u.length + " values, expected " + rows * k);
    if (s.length != k) throw new IllegalArgumentException("s has " + s.length + " values, expected " + k);
    if (vt.length != k * cols) throw new IllegalArgumentException("vt has " + vt.length + " values, expected " + k * cols);
    this.rows = rows;
    this.cols = cols;
    this.u = u;
    this.s = s;
    this.vt = vt;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Number of singular triplets, min(rows, cols). */
  public int size() {
    return s.length;
  }

  /** Left singular vectors, rows×k row-major (a copy). */
  public float[] u() {
    return u.clone();
  }

  /** Singular values, descending (a copy). */
  public float[] s() {
    return s.clone();
  }

  /** Right singular vectors transposed, k×cols row-major (a copy). */
  public float[] vt() {
    return vt.clone();
  }

  /**
   * The {@code rank} smallest singular triplets, in the decomposition's own (descending)
   * order: the last {@code rank} columns of U, values of S and rows of Vᵀ.
   */
  public SingularTriplets smallest(int rank) {
    int k = size();
    if (rank < 1 || rank > k) throw new IllegalArgumentException("rank must be in 1.." + k + ", was " + rank);
    int first = k - rank;
    float[] ur = new float[rows * rank];
    for (int i = 0; i < rows; i++) System.arraycopy(u, i * k + first, ur, i * rank, rank);
    float[] sr = Arrays.copyOfRange(s, first, k);
    float[] vtr = Arrays.copyOfRange(vt, first * cols, k * cols);
    return new SingularTriplets(rows, cols, ur, sr, vtr);
  }
}
