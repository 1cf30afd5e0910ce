package dev.urae.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class ActivationsTest {
  @Test
  void theInferenceGeluEqualsTheTrainingOneAndLeavesItsInputAlone() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given
      float[] values = {-6f, -2.5f, -1f, -0.1f, 0f, 0.3f, 1f, 2f, 7f};
      NDArray x = manager.create(values);

      // when
      float[] training = Activations.geluTanh(x).toFloatArray();
      float[] inference = Activations.geluTanhInference(x).toFloatArray();

      // then
      for (int i = 0; i < values.length; i++) {
        double v = values[i];
        double expected = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
        assertThat((double) inference[i]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(inference[i]).isCloseTo(training[i], org.assertj.core.data.Offset.offset(1e-6f));
      }
      assertThat(x.toFloatArray()).containsExactly(values);
    }
  }
}
