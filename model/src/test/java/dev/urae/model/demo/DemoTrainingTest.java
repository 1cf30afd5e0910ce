package dev.urae.model.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.urae.model.adapter.Adapter;
import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.adapter.AdapterSpec;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.train.AdapterTrainer;
import dev.urae.model.train.CheckpointStore;
import dev.urae.model.train.OptimizerKind;
import dev.urae.model.train.TrainingConfig;
import dev.urae.model.train.TrainingResult;
import dev.urae.model.train.TrainingStop;
import org.junit.jupiter.api.Test;

class DemoTrainingTest {

  @Test
  void adaptingOnTheDemoWorldLowersTheLoss() {
    try (NDManager manager = NDManager.newBaseManager(); DemoBaseModel base = DemoBaseModel.initial(3, manager)) {
      // given the demo configuration, a LoRA, and 16x16 teacher images of 8 scenes
      Adapter lora = Adapter.initLora(base.transformer().linears(), AdapterSpec.urae(AdapterKind.LORA, 8), SeededRandom.seeded(1));
      DemoTrainingSet data = new DemoTrainingSet(PromptGrammar.standard(), DemoTeacher.exact(), 5, 8, 16);
      TrainingConfig config = TrainingConfig.builder().setSteps(40).optBatchSize(2).optOptimizer(OptimizerKind.ADAMW).optLearningRate(3e-3)
          .optCheckpointEvery(1000).optSeed(2).build();

      // when
      TrainingResult result = new AdapterTrainer(config).train(base.transformer(), lora, base.textEncoder(), data, CheckpointStore.none(), new TrainingStop());

      // then
      assertThat(result.meanLossOfLast(10)).isLessThan(0.8 * result.meanLossOfFirst(10));
    }
  }
}
