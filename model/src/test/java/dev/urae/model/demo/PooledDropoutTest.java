package dev.urae.model.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flow.SigmaSampler;
import dev.urae.model.train.FlowMatchingStep;
import org.junit.jupiter.api.Test;

class PooledDropoutTest {

  @Test
  void pooledDropoutOffDrawsExactlyWhatARunWithoutItDraws() {
    try (NDManager manager = NDManager.newBaseManager(); DemoBaseModel model = DemoBaseModel.initial(3, manager)) {
      // given a trainable encoder (what pretraining back-propagates into)
      DemoTrainingSet data = new DemoTrainingSet(PromptGrammar.standard(), DemoTeacher.exact(), 5, 8, 16);
      model.textEncoder().setTrainable(true);

      // when
      float without = loss(new FlowMatchingStep(model.transformer(), model.textEncoder(), data, 4, 0.5, 1.0, SigmaSampler.shifted(3), Integer.MAX_VALUE, 0.1), manager);
      float off = loss(new FlowMatchingStep(model.transformer(), model.textEncoder(), data, 4, 0.5, 1.0, SigmaSampler.shifted(3), Integer.MAX_VALUE, 0.1, 0), manager);
      float on = loss(new FlowMatchingStep(model.transformer(), model.textEncoder(), data, 4, 0.5, 1.0, SigmaSampler.shifted(3), Integer.MAX_VALUE, 0.1, 0.9), manager);

      // then the same draws give the same loss; dropping the pooled vector of most items changes it
      assertThat(off).isEqualTo(without);
      assertThat(on).isFinite().isNotEqualTo(without);
    }
  }

  @Test
  void pooledDropoutOutsideItsRangeIsRefused() {
    try (NDManager manager = NDManager.newBaseManager(); DemoBaseModel model = DemoBaseModel.initial(3, manager)) {
      DemoTrainingSet data = new DemoTrainingSet(PromptGrammar.standard(), DemoTeacher.exact(), 5, 2, 16);
      assertThatThrownBy(() -> new FlowMatchingStep(model.transformer(), model.textEncoder(), data, 1, 0.5, 1.0, SigmaSampler.shifted(3), Integer.MAX_VALUE, 0, 1))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("pooledDropout must be in [0, 1), was 1.0");
      assertThatThrownBy(() -> new FlowMatchingStep(model.transformer(), null, data, 1, 0.5, 1.0, SigmaSampler.shifted(3), Integer.MAX_VALUE, 0, 0.5))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pooled dropout needs a text encoder");
    }
  }

  private static float loss(FlowMatchingStep step, NDManager manager) {
    try (NDManager scope = manager.newSubManager()) {
      return step.run(scope, SeededRandom.seeded(1), SeededRandom.seeded(2));
    }
  }
}
