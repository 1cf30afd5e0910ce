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
  void welchDifferenceSeparatesClearlyDifferentMeans() {
    // given two tight groups 10 apart
    Estimate a = Estimate.of(11, 12, 13);
    Estimate b = Estimate.of(1, 2, 3);
    // when
    Estimate d = Estimate.difference(a, b);
    // then df = 4 (equal variances, n = 3 each): half width = t(0.975, 4) * sqrt(2/3)
    assertThat(d.mean()).isEqualTo(10.0);
    assertThat(d.halfWidth()).isCloseTo(2.776 * Math.sqrt(2.0 / 3), within(1e-9));
    assertThat(Verdict.onGain(d)).isEqualTo(Verdict.SUPPORTED);
    assertThat(Verdict.onGain(Estimate.difference(b, a))).isEqualTo(Verdict.NOT_SUPPORTED);
    assertThat(Verdict.onGain(Estimate.difference(Estimate.of(1, 5, 9), Estimate.of(2, 4, 6)))).isEqualTo(Verdict.INCONCLUSIVE);
  }
}
