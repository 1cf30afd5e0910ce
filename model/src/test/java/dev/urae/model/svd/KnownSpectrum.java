package dev.urae.model.svd;

import java.util.SplittableRandom;

/** A test matrix built as Q1·diag(s)·Q2ᵀ from random orthonormal factors: its SVD is known. */
public final class KnownSpectrum {
  final int rows;
  final int cols;
  final double[] q1; // rows×k, orthonormal columns
  final double[] s; // descending
  final double[] q2; // cols×k, orthonormal columns

  public KnownSpectrum(int rows, int cols, double[] s, long seed) {
    int k = Math.min(rows, cols);
    this.rows = rows;
    this.cols = cols;
    this.s = s.clone();
    SplittableRandom random = new SplittableRandom(seed);
    this.q1 = orthonormal(rows, k, random);
    this.q2 = orthonormal(cols, k, random);
  }

  public float[] matrix() {
    return product(0, s.length);
  }

  /** Σ over triplets [from, to) of s_i·q1_i·q2_iᵀ. */
  public float[] product(int from, int to) {
    int k = s.length;
    float[] a = new float[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double sum = 0;
        for (int p = from; p < to; p++) sum += q1[i * k + p] * s[p] * q2[j * k + p];
        a[i * cols + j] = (float) sum;
      }
    }
    return a;
  }

  private static double[] orthonormal(int n, int k, SplittableRandom random) {
    double[] q = new double[n * k];
    for (int i = 0; i < q.length; i++) q[i] = random.nextDouble() * 2 - 1;
    for (int c = 0; c < k; c++) { // modified Gram-Schmidt, twice for accuracy
      for (int pass = 0; pass < 2; pass++) {
        for (int p = 0; p < c; p++) {
          double dot = 0;
          for (int i = 0; i < n; i++) dot += q[i * k + c] * q[i * k + p];
          for (int i = 0; i < n; i++) q[i * k + c] -= dot * q[i * k + p];
        }
      }
      double norm = 0;
      for (int i = 0; i < n; i++) norm += q[i * k + c] * q[i * k + c];
      norm = Math.sqrt(norm);
      for (int i = 0; i < n; i++) q[i * k + c] /= norm;
    }
    return q;
  }
}
