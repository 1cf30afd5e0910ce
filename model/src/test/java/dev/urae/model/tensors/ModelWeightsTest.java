package dev.urae.model.tensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.flux.FluxTransformer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelWeightsTest {
  @TempDir Path dir;

  @Test
  void transformerRoundTripsByDiffusersName() throws Exception {
    try (NDManager manager = NDManager.newBaseManager();
        FluxTransformer source = FluxTransformer.random(FluxPresets.TINY, 1, manager);
        FluxTransformer target = FluxTransformer.zeros(FluxPresets.TINY, manager)) {
      // given
      Path file = dir.resolve("tiny.safetensors");
      ModelWeights.save(source, file, DType.F32, Map.of("preset", "tiny"));

      // when
      ModelWeights.load(target, file);

      // then
      String name = "single_transformer_blocks.1.attn.to_v.weight";
      assertThat(target.parameters().get(name).toFloatArray()).containsExactly(source.parameters().get(name).toFloatArray());
    }
  }

  @Test
  void mismatchListsEveryProblemAtOnce() throws Exception {
    try (NDManager manager = NDManager.newBaseManager();
        FluxTransformer source = FluxTransformer.random(FluxPresets.TINY, 1, manager);
        FluxTransformer target = FluxTransformer.zeros(FluxPresets.TINY, manager)) {
      // given a checkpoint missing two tensors, with one extra and one of the wrong shape
      Path file = dir.resolve("broken.safetensors");
      SafeTensorsWriter writer = new SafeTensorsWriter();
      source.parameters().forEach((name, array) -> {
        if (name.equals("proj_out.bias") || name.equals("x_embedder.weight")) return;
        if (name.equals("context_embedder.weight")) {
          writer.add(name, manager.zeros(new Shape(32, 25)));
        } else {
          writer.add(name, array);
        }
      });
      writer.add("transformer_blocks.0.attn.processor.lora", manager.zeros(new Shape(1)));
      writer.write(file);

      // when / then
      assertThatThrownBy(() -> ModelWeights.load(target, file))
          .isInstanceOfSatisfying(WeightMismatchException.class, e -> {
            assertThat(e.missing()).containsExactlyInAnyOrder("proj_out.bias", "x_embedder.weight");
            assertThat(e.unexpected()).containsExactly("transformer_blocks.0.attn.processor.lora");
            assertThat(e.misshaped()).containsExactly("context_embedder.weight: file [32, 25], model [32, 24]");
          });
    }
  }
}
