package dev.urae.model.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {

  @Test
  void firstStepIsLrTimesTheGradientSignPlusDecay() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given
      NDArray x = manager.create(new float[] {1f, -2f});
      AdamW adam = new AdamW(0.1, 0.9, 0.999, 1e-8, 0.01);

      // when the gradient is (0.5, -4)
      adam.step(Map.of("x", x), Map.of("x", manager.create(new float[] {0.5f, -4f})));

      // then m̂ = g and v̂ = g², so x ← x·(1 − lr·λ) − lr·sign(g)
      float[] after = x.toFloatArray();
      assertThat((double) after[0]).isCloseTo(1 * (1 - 0.001) - 0.1, within(1e-6));
      assertThat((double) after[1]).isCloseTo(-2 * (1 - 0.001) + 0.1, within(1e-6));
    }
  }

  @Test
  void stateRoundTripContinuesIdentically() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given
      NDArray a = manager.create(new float[] {1f, 2f});
      AdamW first = AdamW.withLearningRate(0.05);
      first.step(Map.of("x", a), Map.of("x", a.mul(3)));
      NDArray b = manager.create(a.toFloatArray());
      AdamW second = AdamW.withLearningRate(0.05);
      second.restore(first.state());

      // when
      first.step(Map.of("x", a), Map.of("x", a.mul(3)));
      second.step(Map.of("x", b), Map.of("x", b.mul(3)));

      // then
      assertThat(b.toFloatArray()).containsExactly(a.toFloatArray());
    }
  }
}
