package dev.urae.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

  @Test
  void scalesGradientsToTheMaximumGlobalNorm() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given gradients of global norm 5
      Map<String, NDArray> gradients = new LinkedHashMap<>();
      gradients.put("a", manager.create(new float[] {3f}));
      gradients.put("b", manager.create(new float[] {4f}));

      // when
      double norm = GradientClipping.clipGlobalNorm(gradients, 1.0);

      // then
      assertThat(norm).isEqualTo(5.0);
      assertThat(gradients.get("a").getFloat()).isCloseTo(0.6f, offset(1e-5f));
      assertThat(gradients.get("b").getFloat()).isCloseTo(0.8f, offset(1e-5f));
    }
  }

  @Test
  void leavesGradientsBelowTheMaximumAlone() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given
      Map<String, NDArray> gradients = Map.of("a", manager.create(new float[] {0.3f, 0.4f}));

      // when
      double norm = GradientClipping.clipGlobalNorm(gradients, 1.0);

      // then
      assertThat(norm).isCloseTo(0.5, offset(1e-6));
      assertThat(gradients.get("a").toFloatArray()).containsExactly(0.3f, 0.4f);
    }
  }

  @Test
  void refusesANonFiniteGradientNamingItsParameter() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given a NaN in the second parameter's gradient
      Map<String, NDArray> gradients = new LinkedHashMap<>();
      gradients.put("blocks.0.lora_A", manager.create(new float[] {30f}));
      gradients.put("blocks.0.lora_B", manager.create(new float[] {1f, Float.NaN}));

      // when / then: refused, and nothing was scaled
      assertThatThrownBy(() -> GradientClipping.clipGlobalNorm(gradients, 1.0))
          .isInstanceOf(GradientClipping.NonFiniteGradientException.class)
          .hasMessage("the gradient of blocks.0.lora_B is not finite");
      assertThat(gradients.get("blocks.0.lora_A").getFloat()).isEqualTo(30f);
    }
  }
}
