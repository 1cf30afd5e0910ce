package dev.urae.model.demo.study;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TheoremOneSectionTest {
  @Test
  void showsWhereSyntheticWinsAndWhereTheBiasTakesOver() {
    // given the standard toy over 10 seeds
    TheoremOneSection section = new TheoremOneSection(new TheoremOneToy(TheoremOneToy.Setup.standard()), 10);
    // when
    Findings f = section.findings();
    // then one plot per delta at the plotted noise, one row per (sigma, delta, p)
    assertThat(f.plots()).hasSize(TheoremOneSection.DELTAS.length);
    assertThat(f.plots().get(0).series()).extracting(Findings.Series::name).containsExactly("p = 0", "p = 0.5", "p = 1");
    assertThat(f.tables().get(0).rows()).hasSize(TheoremOneSection.NOISES.length * TheoremOneSection.DELTAS.length * TheoremOneSection.SHARES.length);
    assertThat(f.verdict()).isEqualTo(Verdict.SUPPORTED);
    assertThat(f.reason()).contains("δ = 0.05").contains("δ = 0.8");
  }

  @Test
  void oneSeedIsNeverConclusive() {
    Findings f = new TheoremOneSection(new TheoremOneToy(TheoremOneToy.Setup.standard()), 1).findings();
    assertThat(f.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
  }
}
