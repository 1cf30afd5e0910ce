package dev.urae.model.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.checkpoint.CheckpointLayout;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.flux.FluxConfigJson;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.tensors.DType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FluxCheckpointPipelineTest {
  private static final Path BFL = Path.of("src/test/resources/bfl");
  @TempDir Path dir;
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void initWritesACheckpointThatOpensLoadsAndRuns() throws IOException {
    // given
    new FluxCheckpointInit(dir, FluxCheckpointInit.Weights.RANDOM, 7, DType.BF16, FluxCheckpointInit.DEFAULT_MAX_SHARD_BYTES).write(FluxPresets.TINY);

    // when
    Checkpoint checkpoint = Checkpoint.open(dir);
    Component transformer = checkpoint.component("transformer");

    // then
    assertThat(checkpoint.layout()).isEqualTo(CheckpointLayout.DIFFUSERS);
    assertThat(checkpoint.components()).containsOnlyKeys("transformer", "scheduler", "text_encoder", "text_encoder_2", "vae", "tokenizer", "tokenizer_2");
    assertThat(checkpoint.component("scheduler").config().get("shift").asDouble()).isEqualTo(3.0);
    assertThat(CheckpointInspection.of(checkpoint, null).problems()).isEmpty();
    assertThat(checkpoint.component("text_encoder_2").config().get("d_model").asInt()).isEqualTo(FluxPresets.TINY.jointAttentionDim());
    assertThat(checkpoint.component("text_encoder").config().get("hidden_size").asInt()).isEqualTo(FluxPresets.TINY.pooledProjectionDim());
    assertThat(FluxConfigJson.of(transformer, null).toBuilder().optName("tiny").build()).isEqualTo(FluxPresets.TINY);
    try (FluxTransformer model = FluxTransformer.load(transformer, FluxConfigJson.of(transformer, null), Device.cpu(), manager);
        NDManager step = NDManager.newBaseManager()) {
      assertThat(model.weightDType()).isEqualTo(DType.BF16);
      NDArray norm = model.parameters().get("transformer_blocks.0.attn.norm_q.weight").toType(DataType.FLOAT32, false);
      assertThat(norm.toFloatArray()).containsOnly(1f);
      float[] w = model.parameters().get("x_embedder.weight").toType(DataType.FLOAT32, false).toFloatArray();
      float max = 0;
      java.util.Set<Float> distinct = new java.util.HashSet<>();
      for (float v : w) {
        max = Math.max(max, Math.abs(v));
        distinct.add(v);
      }
      assertThat(max).isLessThanOrEqualTo(0.25f).isGreaterThan(0.2f); // bound 1/sqrt(16)
      assertThat(distinct).hasSizeGreaterThan(200);
      NDArray out = model.forward(step.randomNormal(new Shape(1, 4, 16)), step.randomNormal(new Shape(1, 3, 24)), step.randomNormal(new Shape(1, 20)),
          step.create(new float[] {0.5f}), step.create(new float[] {3.5f}), 4, 4);
      assertThat(out.getShape()).isEqualTo(new Shape(1, 4, 16));
      assertThat(out.isNaN().any().getBoolean()).isFalse();
    }
  }

  @Test
  void shapeOnlyInitWritesZerosThatInspectAndLoad() throws IOException {
    // given
    new FluxCheckpointInit(dir, FluxCheckpointInit.Weights.ZEROS, 0, DType.BF16, 100_000).write(FluxPresets.TINY);

    // when
    Checkpoint checkpoint = Checkpoint.open(dir);

    // then
    assertThat(checkpoint.components()).containsOnlyKeys("transformer", "scheduler", "text_encoder", "text_encoder_2", "vae", "tokenizer", "tokenizer_2");
    assertThat(CheckpointInspection.of(checkpoint, null).problems()).isEmpty();
    Component transformer = checkpoint.component("transformer");
    try (FluxTransformer model = FluxTransformer.load(transformer, FluxConfigJson.of(transformer, null), Device.cpu(), manager)) {
      assertThat(floats(model.parameters().get("proj_out.weight"))).containsOnly(0f);
    }
  }

  @Test
  void tokenizersAreCopiedFromAnotherCheckpoint() throws IOException {
    // given a checkpoint with CLIP and T5 tokenizer files
    Path source = dir.resolve("source");
    Files.createDirectories(source.resolve("tokenizer"));
    Files.createDirectories(source.resolve("tokenizer_2"));
    Files.writeString(source.resolve("model_index.json"),
        "{\"tokenizer\": [\"transformers\", \"CLIPTokenizer\"], \"tokenizer_2\": [\"transformers\", \"T5TokenizerFast\"]}");
    Files.writeString(source.resolve("tokenizer/vocab.json"), "{}");
    Files.writeString(source.resolve("tokenizer/merges.txt"), "#version: 0.2\n");
    Files.write(source.resolve("tokenizer_2/spiece.model"), new byte[] {1});
    FluxCheckpointInit init = new FluxCheckpointInit(dir.resolve("out"), FluxCheckpointInit.Weights.ZEROS, 0, DType.BF16, Long.MAX_VALUE);
    init.write(FluxPresets.TINY);

    // when
    init.copyTokenizers(source);

    // then
    Checkpoint checkpoint = Checkpoint.open(dir.resolve("out"));
    assertThat(checkpoint.component("tokenizer").className()).contains("CLIPTokenizer");
    assertThat(checkpoint.component("tokenizer_2").hasFile("spiece.model")).isTrue();
    assertThat(checkpoint.component("tokenizer").hasFile("tokenizer.json")).as("init's minimal tokenizer is gone").isFalse();
    assertThatThrownBy(() -> init.copyTokenizers(dir.resolve("out/transformer"))).hasMessageContaining("no component 'tokenizer'");
  }

  @Test
  void shardedInitHoldsTheSameWeightsAsOneFile() throws IOException {
    // given
    Path one = dir.resolve("one");
    Path sharded = dir.resolve("sharded");
    new FluxCheckpointInit(one, FluxCheckpointInit.Weights.RANDOM, 7, DType.BF16, FluxCheckpointInit.DEFAULT_MAX_SHARD_BYTES).write(FluxPresets.TINY);
    new FluxCheckpointInit(sharded, FluxCheckpointInit.Weights.RANDOM, 7, DType.BF16, 60_000).write(FluxPresets.TINY);

    // when
    Component a = Checkpoint.open(one).component("transformer");
    Component b = Checkpoint.open(sharded).component("transformer");

    // then
    assertThat(Files.exists(sharded.resolve("transformer/diffusion_pytorch_model.safetensors.index.json"))).isTrue();
    assertThat(b.tensors().all().stream().map(t -> t.ranges().get(0).file()).distinct().count()).isGreaterThan(2);
    try (FluxTransformer ma = FluxTransformer.load(a, FluxConfigJson.of(a, null), Device.cpu(), manager);
        FluxTransformer mb = FluxTransformer.load(b, FluxConfigJson.of(b, null), Device.cpu(), manager)) {
      Map<String, NDArray> pb = mb.parameters();
      ma.parameters().forEach((name, array) -> assertThat(floats(pb.get(name))).as(name).containsExactly(floats(array)));
    }
  }

  @Test
  void convertWritesTheBflFileInDiffusersLayoutByteForByte() throws IOException {
    // given
    Checkpoint bfl = Checkpoint.open(BFL.resolve("flux1-tiny.safetensors"));

    // when
    FluxCheckpointConverter.toDiffusers(bfl, null, dir, 100_000);

    // then
    Component converted = Checkpoint.open(dir.resolve("transformer")).component("transformer");
    Component reference = Checkpoint.open(BFL.resolve("diffusers/transformer")).component("transformer");
    assertThat(converted.config().get("axes_dims_rope").toString()).isEqualTo("[4,6,6]");
    assertThat(converted.tensors().names()).containsExactlyInAnyOrderElementsOf(reference.tensors().names());
    try (FluxTransformer a = FluxTransformer.load(converted, FluxConfigJson.of(converted, null), Device.cpu(), manager);
        FluxTransformer b = FluxTransformer.load(reference, FluxConfigJson.of(reference, null), Device.cpu(), manager)) {
      Map<String, NDArray> pb = b.parameters();
      a.parameters().forEach((name, array) -> assertThat(floats(pb.get(name))).as(name).containsExactly(floats(array)));
    }
  }

  @Test
  void convertRefusesWhatIsNotABflFile() {
    assertThatThrownBy(() -> FluxCheckpointConverter.toDiffusers(Checkpoint.open(BFL.resolve("diffusers/transformer")), null, dir, 100_000))
        .hasMessageContaining("convert reads a BFL single-file transformer");
  }

  @Test
  void inspectionReportsSizesLoadedMemoryAndEveryProblem() throws IOException {
    // given a BFL file missing its guidance embedder output layer and with a stray tensor
    Path broken = dir.resolve("broken.safetensors");
    Checkpoint source = Checkpoint.open(BFL.resolve("flux1-tiny.safetensors"));
    var entries = new java.util.ArrayList<dev.urae.model.checkpoint.ShardedSafeTensorsWriter.Entry>();
    try (var in = dev.urae.model.tensors.SafeTensorsFile.open(BFL.resolve("flux1-tiny.safetensors"))) {
      for (var e : in.tensors()) {
        if (e.name().startsWith("guidance_in.out_layer")) continue;
        entries.add(new dev.urae.model.checkpoint.ShardedSafeTensorsWriter.Entry(e.name(), e.dtype(), e.shape(),
            dev.urae.model.checkpoint.RandomFill.constant(e.shape().size(), 0.5f, e.dtype())));
      }
    }
    entries.add(new dev.urae.model.checkpoint.ShardedSafeTensorsWriter.Entry("stray", DType.F32, new Shape(2), dev.urae.model.checkpoint.RandomFill.constant(2, 0f, DType.F32)));
    dev.urae.model.checkpoint.ShardedSafeTensorsWriter.write(dir, "broken", entries, Long.MAX_VALUE);

    // when
    StringWriter good = new StringWriter();
    CheckpointInspection.of(source, null).print(new PrintWriter(good));
    CheckpointInspection bad = CheckpointInspection.of(Checkpoint.read(broken), null);
    StringWriter text = new StringWriter();
    bad.print(new PrintWriter(text));

    // then
    assertThat(good.toString()).contains("Black Forest Labs single-file transformer").contains("problems: none")
        .contains("263,072 bytes (0.3 MB) = parameter bytes 131,536 × 2 (BF16)");
    assertThat(bad.problems()).hasSize(3);
    assertThat(text.toString()).contains("3 problems:")
        .contains("tensor 'stray': unexpected: no FluxTransformer2DModel counterpart")
        .contains("tensor 'time_text_embed.guidance_embedder.linear_2.weight': missing")
        .contains("tensor 'time_text_embed.guidance_embedder.linear_2.bias': missing");
  }

  private static float[] floats(NDArray array) {
    return array.toType(DataType.FLOAT32, false).toFloatArray();
  }
}
