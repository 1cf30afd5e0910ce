package dev.urae.model.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.urae.model.adapter.Adapter;
import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.adapter.AdapterSpec;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.svd.DecompositionCache;
import dev.urae.model.svd.MinorComponentDecomposer;
import dev.urae.model.train.AdapterTrainer;
import dev.urae.model.train.CheckpointStore;
import dev.urae.model.train.OptimizerKind;
import dev.urae.model.train.TrainingConfig;
import dev.urae.model.train.TrainingResult;
import dev.urae.model.train.TrainingStop;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DemoTrainingTest {

  @ParameterizedTest
  @EnumSource(AdapterKind.class)
  void adaptingOnTheDemoWorldLowersTheLoss(AdapterKind kind) {
    try (NDManager manager = NDManager.newBaseManager(); DemoBaseModel base = DemoBaseModel.initial(3, manager)) {
      // given the demo configuration, an adapter of rank 8, and 16x16 teacher images of 8 scenes
      AdapterSpec spec = AdapterSpec.urae(kind, 8);
      Adapter adapter = kind == AdapterKind.LORA
          ? Adapter.initLora(base.transformer().linears(), spec, SeededRandom.seeded(1))
          : Adapter.initMinor(base.transformer().linears(), spec, new MinorComponentDecomposer(DecompositionCache.none()));
      DemoTrainingSet data = new DemoTrainingSet(PromptGrammar.standard(), DemoTeacher.exact(), 5, 8, 16);
      TrainingConfig config = TrainingConfig.builder().setSteps(40).optBatchSize(2).optOptimizer(OptimizerKind.ADAMW).optLearningRate(3e-3)
          .optCheckpointEvery(1000).optSeed(2).build();

      // when
      TrainingResult result = new AdapterTrainer(config).train(base.transformer(), adapter, base.textEncoder(), data, CheckpointStore.none(), new TrainingStop());

      // then
      assertThat(result.losses()).hasSize(40).allMatch(Double::isFinite);
      assertThat(result.meanLossOfLast(10)).isLessThan(0.8 * result.meanLossOfFirst(10));
    }
  }
}
