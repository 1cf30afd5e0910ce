package dev.urae.model.demo.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.urae.model.demo.study.TheoremOneToy.Mixture;
import org.junit.jupiter.api.Test;

class TheoremOneToyTest {
  private final TheoremOneToy toy = new TheoremOneToy(TheoremOneToy.Setup.standard());

  @Test
  void startsAtUnitDistanceFromTheTarget() {
    // given w0 = 0 and |w*| = 1
    // when
    double[] curve = toy.errorCurve(new Mixture(0, 0, 1), 7);
    // then
    assertThat(curve).hasSize(TheoremOneToy.Setup.standard().steps() + 1);
    assertThat(curve[0]).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void cleanRealLabelsConvergeToTheTarget() {
    // given real data without label noise
    // when
    double[] curve = toy.errorCurve(new Mixture(0, 0.8, 0), 1);
    // then the bias of an unused teacher does not matter
    assertThat(TheoremOneToy.floor(curve)).isLessThan(1e-3);
  }

  @Test
  void allSyntheticConvergesToTheTeacherAtDistanceDelta() {
    // given only synthetic labels from a teacher at distance 0.3
    // when
    double[] curve = toy.errorCurve(new Mixture(1, 0.3, 1.0), 2);
    // then label noise does not matter and the floor is the teacher's bias
    assertThat(TheoremOneToy.floor(curve)).isCloseTo(0.3, within(1e-3));
  }

  @Test
  void aGoodTeacherGetsLowerSoonerThanNoisyRealData() {
    // given a teacher with small bias and real data with label noise 1
    Mixture real = new Mixture(0, 0.05, 1.0);
    Mixture synthetic = new Mixture(1, 0.05, 1.0);
    for (long seed = 0; seed < 5; seed++) {
      // when
      double[] r = toy.errorCurve(real, seed);
      double[] s = toy.errorCurve(synthetic, seed);
      // then synthetic reaches 0.3 first and settles lower
      assertThat(TheoremOneToy.stepsToReach(s, 0.3)).isBetween(0, TheoremOneToy.stepsToReach(r, 0.3) - 1);
      assertThat(TheoremOneToy.floor(s)).isLessThan(TheoremOneToy.floor(r));
    }
  }

  @Test
  void aPoorTeachersBiasTakesOver() {
    // given a teacher at distance 0.8 and real data with label noise 1
    for (long seed = 0; seed < 5; seed++) {
      // when
      double real = TheoremOneToy.floor(toy.errorCurve(new Mixture(0, 0.8, 1.0), seed));
      double half = TheoremOneToy.floor(toy.errorCurve(new Mixture(0.5, 0.8, 1.0), seed));
      double synthetic = TheoremOneToy.floor(toy.errorCurve(new Mixture(1, 0.8, 1.0), seed));
      // then the floor grows with the synthetic share
      assertThat(real).isLessThan(half);
      assertThat(half).isLessThan(synthetic);
    }
  }

  @Test
  void stepsToReachIsMinusOneWhenNeverReached() {
    assertThat(TheoremOneToy.stepsToReach(new double[] {1, 0.9, 0.8}, 0.5)).isEqualTo(-1);
    assertThat(TheoremOneToy.stepsToReach(new double[] {1, 0.4, 0.8}, 0.5)).isEqualTo(1);
  }
}
