package dev.urae.model.svd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LapackSvdTest {

  @Test
  void recoversAKnownSpectrumOfATallMatrix() {
    // given a 40x24 matrix with singular values 24, 23, ..., 1
    double[] spectrum = new double[24];
    for (int i = 0; i < 24; i++) spectrum[i] = 24 - i;
    KnownSpectrum known = new KnownSpectrum(40, 24, spectrum, 7);

    // when
    SingularTriplets svd = LapackSvd.decompose(known.matrix(), 40, 24);

    // then the values come back in descending order
    float[] s = svd.s();
    for (int i = 0; i < 24; i++) assertThat((double) s[i]).isCloseTo(spectrum[i], within(1e-4));
    // and U·S·Vᵀ rebuilds the matrix
    assertThat(maxAbs(reconstruct(svd), known.matrix())).isLessThan(1e-4f);
  }

  @Test
  void handlesWideMatrices() {
    // given a 12x30 matrix
    double[] spectrum = {9, 7, 5, 4, 3, 2.5, 2, 1.5, 1, 0.5, 0.25, 0.125};
    KnownSpectrum known = new KnownSpectrum(12, 30, spectrum, 11);

    // when
    SingularTriplets svd = LapackSvd.decompose(known.matrix(), 12, 30);

    // then
    assertThat(svd.rank()).isEqualTo(12);
    assertThat(maxAbs(reconstruct(svd), known.matrix())).isLessThan(1e-5f);
  }

  @Test
  void smallestTripletsAreTheTrailingOnes() {
    // given
    double[] spectrum = {10, 8, 6, 4, 0.3, 0.2, 0.1};
    KnownSpectrum known = new KnownSpectrum(9, 7, spectrum, 3);
    SingularTriplets svd = LapackSvd.decompose(known.matrix(), 9, 7);

    // when
    SingularTriplets minor = svd.smallest(3);

    // then the three smallest values, and their rank-3 product equals the reference's
    assertThat(minor.s()).containsExactly(new float[] {0.3f, 0.2f, 0.1f}, within(1e-5f));
    assertThat(maxAbs(product(minor), known.product(4, 7))).isLessThan(1e-5f);
  }

  @Test
  void leavesItsInputUntouched() {
    // given
    float[] matrix = new KnownSpectrum(5, 5, new double[] {5, 4, 3, 2, 1}, 1).matrix();
    float[] copy = matrix.clone();

    // when
    LapackSvd.decompose(matrix, 5, 5);

    // then
    assertThat(matrix).containsExactly(copy);
  }

  static float[] reconstruct(SingularTriplets svd) {
    return product(new SingularTriplets(svd.rows(), svd.cols(), svd.u(), svd.s(), svd.vt()));
  }

  static float[] product(SingularTriplets t) {
    int r = t.rank();
    float[] u = t.u();
    float[] s = t.s();
    float[] vt = t.vt();
    float[] a = new float[t.rows() * t.cols()];
    for (int i = 0; i < t.rows(); i++) {
      for (int j = 0; j < t.cols(); j++) {
        double sum = 0;
        for (int p = 0; p < r; p++) sum += (double) u[i * r + p] * s[p] * vt[p * t.cols() + j];
        a[i * t.cols() + j] = (float) sum;
      }
    }
    return a;
  }

  static float maxAbs(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
    return max;
  }
}
