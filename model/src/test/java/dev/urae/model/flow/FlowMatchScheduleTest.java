package dev.urae.model.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FlowMatchScheduleTest {
  @Test
  void unshiftedScheduleIsLinspaceThenZero() {
    assertThat(FlowMatchSchedule.sigmas(4, TimeShift.none())).containsExactly(1.0, 0.75, 0.5, 0.25, 0.0);
  }

  @Test
  void staticShiftBendsTowardsNoise() {
    // σ' = 3σ / (1 + 2σ): 0.75 → 2.25/2.5, 0.5 → 1.5/2, 0.25 → 0.75/1.5
    assertThat(FlowMatchSchedule.sigmas(4, TimeShift.fixed(3))).containsExactly(new double[] {1.0, 0.9, 0.75, 0.5, 0.0}, within(1e-12));
  }

  @Test
  void dynamicShiftInterpolatesMuFromSequenceLength() {
    // μ(256) = 0.5, μ(4096) = 1.15, μ(1024) = 0.5 + 768·0.65/3840 = 0.63
    assertThat(TimeShift.dynamicMu(256)).isCloseTo(0.5, within(1e-12));
    assertThat(TimeShift.dynamicMu(4096)).isCloseTo(1.15, within(1e-12));
    assertThat(TimeShift.dynamicMu(1024)).isCloseTo(0.63, within(1e-12));
    // σ' = e^μ / (e^μ + 1/σ − 1) with e^1.15 = 3.1581929: 0.5 → 3.1581929/4.1581929
    assertThat(FlowMatchSchedule.sigmas(4, TimeShift.dynamic(4096)))
        .containsExactly(new double[] {1.0, 0.9045307667, 0.7595109169, 0.5128441015, 0.0}, within(1e-9));
  }

  @Test
  void dynamicMuIsHeldAtTheSchedulersRange() {
    // beyond 4,096 image tokens μ stays 1.15 (unclamped it would be 4.90 at 4K's 65,536 tokens)
    assertThat(TimeShift.dynamicMu(65_536)).isCloseTo(1.15, within(1e-12));
    assertThat(TimeShift.dynamicMu(16)).isCloseTo(0.5, within(1e-12));
    // so a 28-step schedule at 4K still reaches low noise: its last σ before 0 is the 4,096-token one
    double[] at4k = FlowMatchSchedule.sigmas(28, TimeShift.dynamic(65_536));
    assertThat(at4k[27]).isCloseTo(FlowMatchSchedule.sigmas(28, TimeShift.dynamic(4096))[27], within(1e-12)).isLessThan(0.2);
  }

  @Test
  void singleStepGoesFromNoiseToData() {
    assertThat(FlowMatchSchedule.sigmas(1, TimeShift.dynamic(1024))).containsExactly(1.0, 0.0);
  }

  @Test
  void coarseToFineStartsAtTheRenoisingSigmaAndEndsAtZero() {
    // when
    double[] tail = FlowMatchSchedule.from(new double[] {1.0, 0.8, 0.6, 0.4, 0.2, 0.0}, 0.5);

    // then
    assertThat(tail).containsExactly(0.5, 0.4, 0.2, 0.0);
  }
}
