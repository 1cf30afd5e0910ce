package dev.urae.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ai.djl.ndarray.NDArray;
import dev.urae.model.adapter.AdapterKind;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class AdapterTrainerTest {
  @TempDir Path folder;

  private static TrainingConfig config(int steps) {
    return TrainingConfig.builder().setSteps(steps).optCheckpointEvery(4).optSeed(5).build();
  }

  @Test
  void trainsOnlyTheAdapterAndKeepsHistories() throws Exception {
    try (TinyWorld world = new TinyWorld()) {
      // given
      var adapter = world.lora();
      float[] baseWeight = world.model.linears().get("transformer_blocks.0.attn.to_q").weight().toFloatArray();
      float[] lastB = adapter.parameters().get("transformer_blocks.0.attn.to_q.lora_B").toFloatArray();

      // when
      TrainingResult result = new AdapterTrainer(config(6)).train(world.model, adapter, world.encoder, TinyWorld.data(),
          new FolderCheckpointStore(folder), new TrainingStop());

      // then
      assertThat(result.step()).isEqualTo(6);
      assertThat(result.losses()).hasSize(6).allMatch(l -> l > 0 && Double.isFinite(l));
      assertThat(result.learningRates()).hasSize(6).allMatch(r -> r > 0);
      assertThat(world.model.linears().get("transformer_blocks.0.attn.to_q").weight().toFloatArray()).containsExactly(baseWeight);
      assertThat(adapter.parameters().get("transformer_blocks.0.attn.to_q.lora_B").toFloatArray()).isNotEqualTo(lastB);
      assertThat(new FolderCheckpointStore(folder).latest()).get().extracting(TrainingCheckpoint::step).isEqualTo(6L);
    }
  }

  @Test
  void activationCheckpointingTrainsTheSameAdapter() throws Exception {
    Map<String, float[]> plain = new LinkedHashMap<>();
    Map<String, float[]> checkpointed = new LinkedHashMap<>();
    for (boolean on : new boolean[] {false, true}) {
      try (TinyWorld world = new TinyWorld()) {
        // given the same world and seed
        var adapter = world.lora();

        // when three steps run with and without activation checkpointing
        new AdapterTrainer(config(3).toBuilder().optActivationCheckpointing(on).build()).train(world.model, adapter, world.encoder, TinyWorld.data(),
            CheckpointStore.none(), new TrainingStop());
        adapter.parameters().forEach((name, value) -> (on ? checkpointed : plain).put(name, value.toFloatArray()));
      }
    }

    // then the adapters agree to float rounding
    assertThat(checkpointed.keySet()).isEqualTo(plain.keySet());
    plain.forEach((name, expected) -> {
      float[] actual = checkpointed.get(name);
      for (int i = 0; i < expected.length; i++) assertThat(actual[i]).as(name + "[" + i + "]").isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4f));
    });
  }

  @Test
  void trainsOnAThreadOtherThanTheOneThatLoadedTheEngine() throws Exception {
    // PyTorch's grad mode is per thread and on by default: a pool thread must still train.
    try (TinyWorld world = new TinyWorld()) {
      // given
      var adapter = world.lora();
      java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
      // when
      Thread worker = new Thread(() -> {
        try {
          outcome.set(new AdapterTrainer(config(3)).train(world.model, adapter, world.encoder, TinyWorld.data(),
              CheckpointStore.none(), new TrainingStop()));
        } catch (RuntimeException e) {
          outcome.set(e);
        }
      });
      worker.start();
      worker.join();
      // then
      assertThat(outcome.get()).isInstanceOf(TrainingResult.class);
      assertThat(((TrainingResult) outcome.get()).step()).isEqualTo(3);
    }
  }

  @ParameterizedTest(name = "latents drawn from a posterior: {0}")
  @ValueSource(booleans = {false, true})
  void aResumedRunFollowsTheExactTrajectory(boolean posterior) throws Exception {
    Map<String, float[]> straight;
    try (TinyWorld world = new TinyWorld()) {
      // given a run of 8 steps in one go
      var adapter = world.lora();
      new AdapterTrainer(config(8)).train(world.model, adapter, world.encoder, TinyWorld.data(posterior), CheckpointStore.none(), new TrainingStop());
      straight = values(adapter.parameters());
    }
    Path store = folder.resolve("interrupted");
    try (TinyWorld world = new TinyWorld()) {
      // and a run that stops after 4 steps
      new AdapterTrainer(config(4)).train(world.model, world.lora(), world.encoder, TinyWorld.data(posterior), new FolderCheckpointStore(store), new TrainingStop());
    }
    try (TinyWorld world = new TinyWorld()) {
      // when a new process resumes it to 8
      var adapter = world.lora();
      TrainingResult result = new AdapterTrainer(config(8)).train(world.model, adapter, world.encoder, TinyWorld.data(posterior),
          new FolderCheckpointStore(store), new TrainingStop());

      // then
      assertThat(result.resumedFrom()).isEqualTo(4);
      assertThat(result.losses()).hasSize(8);
      float max = 0;
      for (Map.Entry<String, float[]> e : values(adapter.parameters()).entrySet()) {
        float[] expected = straight.get(e.getKey());
        for (int i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(expected[i] - e.getValue()[i]));
      }
      assertThat(max).isLessThanOrEqualTo(1e-5f);
    }
  }

  @Test
  void aStopRequestEndsTheRunWithACheckpoint() throws Exception {
    try (TinyWorld world = new TinyWorld()) {
      // given a stop requested during step 3 of 50
      TrainingStop stop = new TrainingStop();
      AdapterTrainer trainer = new AdapterTrainer(config(50)).onStep(step -> {
        if (step == 3) stop.request();
      });

      // when
      TrainingResult result = trainer.train(world.model, world.lora(), world.encoder, TinyWorld.data(), new FolderCheckpointStore(folder), stop);

      // then
      assertThat(result.stopped()).isTrue();
      assertThat(result.step()).isEqualTo(3);
      assertThat(new FolderCheckpointStore(folder).latest()).get().extracting(TrainingCheckpoint::step).isEqualTo(3L);
    }
  }

  @Test
  void trainingLeavesNoArraysBehindPerStep() throws Exception {
    // DJL puts results in the manager of the array an operation is called on; an adapter that
    // started an operation from its own parameter would leave arrays behind on every step.
    for (AdapterKind kind : AdapterKind.values()) {
      // given / when: the same training for 3 and for 9 steps
      int[] arrays = new int[2];
      int[] steps = {3, 9};
      for (int i = 0; i < 2; i++) {
        try (TinyWorld world = new TinyWorld()) {
          var adapter = kind == AdapterKind.LORA ? world.lora() : world.minor();
          new AdapterTrainer(config(steps[i])).train(world.model, adapter, world.encoder, TinyWorld.data(), CheckpointStore.none(), new TrainingStop());
          arrays[i] = world.manager.getManagedArrays().size();
        }
      }

      // then
      assertThat(arrays[1]).as(kind.label() + ": arrays alive after 9 steps vs 3").isEqualTo(arrays[0]);
    }
  }

  @Test
  void aNonFiniteGradientStopsTrainingBeforeTheOptimizerStep() throws Exception {
    try (TinyWorld world = new TinyWorld()) {
      // given a LoRA whose B is still zero (so the loss is finite) but whose A is so large that
      // the gradient of B overflows float32
      var adapter = world.lora();
      String layer = "transformer_blocks.0.attn.to_q";
      adapter.parameters().get(layer + ".lora_A").muli(0).addi(1e30f);
      float[] before = adapter.parameters().get(layer + ".lora_B").toFloatArray();

      // when
      AdapterTrainer trainer = new AdapterTrainer(config(8));
      Throwable thrown = catchThrowable(() -> trainer.train(world.model, adapter, world.encoder, TinyWorld.data(),
          new FolderCheckpointStore(folder), new TrainingStop()));

      // then the message names the parameter and the step, and nothing was stepped or saved
      assertThat(thrown).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("the gradient of " + layer + ".lora_B is not finite at step 1")
          .hasMessageContaining("the last checkpoint is at step 0");
      assertThat(adapter.parameters().get(layer + ".lora_B").toFloatArray()).containsExactly(before);
      assertThat(new FolderCheckpointStore(folder).latest()).isEmpty();
    }
  }

  private static Map<String, float[]> values(Map<String, NDArray> params) {
    Map<String, float[]> out = new LinkedHashMap<>();
    params.forEach((k, v) -> out.put(k, v.toFloatArray()));
    return out;
  }
}
