package dev.urae.model.demo.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EstimateTest {
  @Test
  void intervalUsesStudentsT() {
    // given three values with mean 2 and sample sd 1
    // when
    Estimate e = Estimate.of(1, 2, 3);
    // then half width = t(0.975, 2) * 1 / sqrt(3)
    assertThat(e.mean()).isEqualTo(2.0);
    assertThat(e.halfWidth()).isCloseTo(4.303 / Math.sqrt(3), within(1e-9));
    assertThat(e.format(2)).isEqualTo("2.00 ± 2.48");
  }

  @Test
  void oneValueHasAnUnknownInterval() {
    Estimate e = Estimate.of(5);
    assertThat(e.halfWidth()).isInfinite();
    assertThat(e.format(1)).isEqualTo("5.0 ± ∞");
    assertThat(Verdict.onGain(e)).isEqualTo(Verdict.INCONCLUSIVE);
  }

  @Test
  void tQuantileMatchesTablesAndTheNormalLimit() {
    assertThat(Estimate.tQuantile975(1)).isEqualTo(12.706);
    assertThat(Estimate.tQuantile975(30)).isEqualTo(2.042);
    assertThat(Estimate.tQuantile975(60)).isCloseTo(2.000, within(2e-3));
    assertThat(Estimate.tQuantile975(1e9)).isCloseTo(1.960, within(1e-3));
    assertThat(Estimate.tQuantile975(2.5)).isBetween(3.182, 4.303);
  }

  @Test
  void pairedDifferencesCancelTheSharedSpread() {
    // given two arms whose values swing together from seed to seed, one always 1 higher
    double[] a = {11, 21, 31};
    double[] b = {10, 20, 30};
    // when
    Estimate d = Estimate.paired(a, b);
    // then the difference is exactly 1, while the arms on their own overlap widely
    assertThat(d.mean()).isEqualTo(1.0);
    assertThat(d.halfWidth()).isZero();
    assertThat(Verdict.onGain(d)).isEqualTo(Verdict.SUPPORTED);
    assertThat(Verdict.onGain(Estimate.paired(b, a))).isEqualTo(Verdict.NOT_SUPPORTED);
    assertThat(Estimate.of(a).low()).isLessThan(Estimate.of(b).high());
    assertThat(Verdict.onGain(Estimate.paired(new double[] {1, 5, 9}, new double[] {2, 4, 6}))).isEqualTo(Verdict.INCONCLUSIVE);
  }
}
