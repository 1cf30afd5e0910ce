package dev.urae.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.SafeTensorsWriter;
import dev.urae.model.tensors.TensorSpec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path dir;

  @Test
  void readsADiffusersFolderWithAShardedComponent() throws IOException {
    // given
    Path root = pipeline();

    // when
    Checkpoint checkpoint = Checkpoint.open(root);

    // then
    assertThat(checkpoint.layout()).isEqualTo(CheckpointLayout.DIFFUSERS);
    assertThat(checkpoint.components()).containsOnlyKeys("text_encoder", "tokenizer", "tokenizer_2", "transformer", "scheduler");
    Component transformer = checkpoint.component("transformer");
    assertThat(transformer.className()).contains("FluxTransformer2DModel");
    assertThat(transformer.config().get("num_layers").asInt()).isEqualTo(1);
    assertThat(transformer.tensors().names()).containsExactlyInAnyOrder("a.weight", "a.bias", "b.weight");
    assertThat(transformer.tensors().get("b.weight").ranges().get(0).file().getFileName().toString()).isEqualTo("diffusion_pytorch_model-00002-of-00002.safetensors");
    assertThat(transformer.tensors().parameterCount()).isEqualTo(6 + 3 + 4);
    assertThat(transformer.tensors().byteLength()).isEqualTo(2L * 13);
    assertThat(checkpoint.component("scheduler").config().get("shift").asDouble()).isEqualTo(3.0);
    assertThat(checkpoint.component("tokenizer").hasFile("merges.txt")).isTrue();
  }

  @Test
  void listsEveryProblemOfABrokenCheckpointAtOnce() throws IOException {
    // given a missing shard, a truncated shard, a tokenizer without merges.txt and a missing component folder
    Path root = pipeline();
    Files.delete(root.resolve("transformer/diffusion_pytorch_model-00002-of-00002.safetensors"));
    Path textWeights = root.resolve("text_encoder/model.safetensors");
    try (FileChannel f = FileChannel.open(textWeights, StandardOpenOption.WRITE)) {
      f.truncate(f.size() - 4);
    }
    Files.delete(root.resolve("tokenizer/merges.txt"));
    Files.writeString(root.resolve("model_index.json"), Files.readString(root.resolve("model_index.json")).replace("}", ", \"vae\": [\"diffusers\", \"AutoencoderKL\"]}"));

    // when / then
    assertThatThrownBy(() -> Checkpoint.open(root))
        .isInstanceOf(CheckpointException.class)
        .satisfies(e -> {
          List<CheckpointProblem> problems = ((CheckpointException) e).problems();
          assertThat(problems).hasSize(4);
          assertThat(problems).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(root.resolve("transformer/diffusion_pytorch_model.safetensors.index.json"));
            assertThat(p.tensor()).isEqualTo("b.weight");
            assertThat(p.problem()).contains("diffusion_pytorch_model-00002-of-00002.safetensors, which is not there");
          });
          assertThat(problems).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(textWeights);
            assertThat(p.problem()).startsWith("truncated");
          });
          assertThat(problems).anySatisfy(p -> assertThat(p.toString()).contains("tokenizer").contains("vocab.json and merges.txt"));
          assertThat(problems).anySatisfy(p -> assertThat(p.toString()).contains("vae").contains("missing"));
        });
  }

  @Test
  void indexNamingATensorItsShardDoesNotHoldIsReported() throws IOException {
    // given
    Path root = pipeline();
    Path index = root.resolve("transformer/diffusion_pytorch_model.safetensors.index.json");
    Files.writeString(index, Files.readString(index).replace("\"b.weight\"", "\"b.weight\": \"diffusion_pytorch_model-00002-of-00002.safetensors\", \"c.weight\""));

    // when
    Checkpoint checkpoint = Checkpoint.read(root);

    // then
    assertThat(checkpoint.problems()).singleElement().satisfies(p -> {
      assertThat(p.tensor()).isEqualTo("c.weight");
      assertThat(p.problem()).contains("does not hold it");
    });
  }

  @Test
  void mismatchesNameShapeDtypeMissingAndUnexpectedTensors() throws IOException {
    // given a component with a mis-shaped, an integer and an unknown tensor
    Path folder = Files.createDirectories(dir.resolve("transformer"));
    Files.writeString(folder.resolve("config.json"), "{\"_class_name\": \"FluxTransformer2DModel\"}");
    new SafeTensorsWriter()
        .addFloats("a.weight", new Shape(3, 2), new float[6], DType.BF16)
        .addBytes("a.bias", DType.I32, new Shape(3), java.nio.ByteBuffer.allocate(12))
        .addFloats("extra", new Shape(1), new float[1], DType.F32)
        .write(folder.resolve("diffusion_pytorch_model.safetensors"));
    Component component = Checkpoint.open(folder).component("transformer");

    // when
    List<CheckpointProblem> problems = component.mismatches(List.of(
        new TensorSpec("a.weight", new Shape(2, 3)), new TensorSpec("a.bias", new Shape(3)), new TensorSpec("b.weight", new Shape(4))));

    // then
    assertThat(problems).extracting(CheckpointProblem::toString).containsExactlyInAnyOrder(
        folder.resolve("diffusion_pytorch_model.safetensors") + ": tensor 'a.weight': stored with shape [3, 2], expected [2, 3]",
        folder.resolve("diffusion_pytorch_model.safetensors") + ": tensor 'a.bias': stored as I32, expected a float type (F32, F16 or BF16)",
        folder + ": tensor 'b.weight': missing: transformer needs it with shape [4]",
        folder.resolve("diffusion_pytorch_model.safetensors") + ": tensor 'extra': unexpected: transformer has no such parameter");
  }

  @Test
  void unknownLayoutsAreRefusedWithWhatWasFound() throws IOException {
    // given
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Path other = dir.resolve("other.safetensors");
    new SafeTensorsWriter().addFloats("conv.weight", new Shape(1), new float[1], DType.F32).write(other);

    // when / then
    assertThatThrownBy(() -> Checkpoint.open(empty)).hasMessageContaining("unknown layout").hasMessageContaining("model_index.json");
    assertThatThrownBy(() -> Checkpoint.open(other)).hasMessageContaining("unknown layout").hasMessageContaining("conv.weight");
    assertThatThrownBy(() -> Checkpoint.open(dir.resolve("absent"))).hasMessageContaining("does not exist");
  }

  /** A small diffusers folder: sharded transformer, text encoder, CLIP and T5 tokenizers, scheduler. */
  private Path pipeline() throws IOException {
    Path root = Files.createDirectories(dir.resolve("pipeline"));
    Files.writeString(root.resolve("model_index.json"), """
        {"_class_name": "FluxPipeline", "_diffusers_version": "0.32.0",
         "scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"],
         "text_encoder": ["transformers", "CLIPTextModel"],
         "text_encoder_2": [null, null],
         "tokenizer": ["transformers", "CLIPTokenizer"],
         "tokenizer_2": ["transformers", "T5TokenizerFast"],
         "transformer": ["diffusers", "FluxTransformer2DModel"]}""");
    Path transformer = Files.createDirectories(root.resolve("transformer"));
    Files.writeString(transformer.resolve("config.json"), "{\"_class_name\": \"FluxTransformer2DModel\", \"num_layers\": 1}");
    new SafeTensorsWriter()
        .addFloats("a.weight", new Shape(3, 2), new float[6], DType.BF16)
        .addFloats("a.bias", new Shape(3), new float[3], DType.BF16)
        .write(transformer.resolve("diffusion_pytorch_model-00001-of-00002.safetensors"));
    new SafeTensorsWriter().addFloats("b.weight", new Shape(4), new float[4], DType.BF16)
        .write(transformer.resolve("diffusion_pytorch_model-00002-of-00002.safetensors"));
    Files.writeString(transformer.resolve("diffusion_pytorch_model.safetensors.index.json"), """
        {"metadata": {"total_size": 26}, "weight_map": {
          "a.weight": "diffusion_pytorch_model-00001-of-00002.safetensors",
          "a.bias": "diffusion_pytorch_model-00001-of-00002.safetensors",
          "b.weight": "diffusion_pytorch_model-00002-of-00002.safetensors"}}""");
    Path text = Files.createDirectories(root.resolve("text_encoder"));
    Files.writeString(text.resolve("config.json"), "{\"hidden_size\": 4}");
    new SafeTensorsWriter().addFloats("emb", new Shape(2, 2), new float[4], DType.F32).write(text.resolve("model.safetensors"));
    Path clip = Files.createDirectories(root.resolve("tokenizer"));
    Files.writeString(clip.resolve("vocab.json"), "{}");
    Files.writeString(clip.resolve("merges.txt"), "#version: 0.2\n");
    Files.write(Files.createDirectories(root.resolve("tokenizer_2")).resolve("spiece.model"), new byte[] {1});
    Files.writeString(Files.createDirectories(root.resolve("scheduler")).resolve("scheduler_config.json"), "{\"shift\": 3.0}");
    return root;
  }
}
