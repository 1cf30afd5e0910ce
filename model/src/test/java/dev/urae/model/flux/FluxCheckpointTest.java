package dev.urae.model.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.checkpoint.CheckpointException;
import dev.urae.model.checkpoint.CheckpointLayout;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.SafeTensorsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One tiny bf16 transformer in diffusers' and in BFL's layout, written by
 * {@code src/test/python/generate_bfl_fixture.py} (the BFL file by concatenating q/k/v and
 * swapping the final modulation in Python): both load to the same tensors and the same forward,
 * which matches the plain-PyTorch reference.
 */
class FluxCheckpointTest {
  private static final Path BFL = Path.of("src/test/resources/bfl");
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
  void bflAndDiffusersLayoutsLoadToIdenticalTensors() throws IOException {
    // given
    Checkpoint diffusers = Checkpoint.open(BFL.resolve("diffusers/transformer"));
    Checkpoint bfl = Checkpoint.open(BFL.resolve("flux1-tiny.safetensors"));

    // when
    try (FluxTransformer a = load(diffusers); FluxTransformer b = load(bfl)) {
      // then
      assertThat(bfl.layout()).isEqualTo(CheckpointLayout.BFL_TRANSFORMER);
      assertThat(b.config().toBuilder().optName("x").build()).isEqualTo(a.config().toBuilder().optName("x").build());
      assertThat(b.config().axesDimsRope()).containsExactly(4, 6, 6);
      Map<String, NDArray> pa = a.parameters();
      Map<String, NDArray> pb = b.parameters();
      assertThat(pb.keySet()).containsExactlyElementsOf(pa.keySet());
      for (String name : pa.keySet()) {
        assertThat(floats(pb.get(name))).as(name).containsExactly(floats(pa.get(name)));
      }
    }
  }

  @Test
  void bothLayoutsGiveTheReferenceForwardPass() throws IOException {
    // given
    Map<String, NDArray> io;
    try (SafeTensorsFile f = SafeTensorsFile.open(BFL.resolve("forward.safetensors"))) {
      io = f.loadAll(manager);
    }

    // when
    try (FluxTransformer a = load(Checkpoint.open(BFL.resolve("diffusers/transformer")));
        FluxTransformer b = load(Checkpoint.open(BFL.resolve("flux1-tiny.safetensors")))) {
      float[] outA = forward(a, io);
      float[] outB = forward(b, io);

      // then
      assertThat(outB).containsExactly(outA);
      float[] expected = io.get("out").toFloatArray();
      float max = 0;
      for (float v : expected) max = Math.max(max, Math.abs(v));
      for (int i = 0; i < expected.length; i++) assertThat(Math.abs(outA[i] - expected[i])).as("element " + i).isLessThanOrEqualTo(1e-4f * max);
    }
  }

  @Test
  void weightsStayBf16AndTakeTheirParameterBytes() throws IOException {
    // given
    Checkpoint bfl = Checkpoint.open(BFL.resolve("flux1-tiny.safetensors"));

    // when
    try (FluxTransformer model = load(bfl)) {
      // then
      assertThat(model.weightDType()).isEqualTo(DType.BF16);
      assertThat(model.device()).isEqualTo(Device.cpu());
      long parameters = FluxLayout.of(model.config()).parameterCount();
      assertThat(model.weightBytes()).isEqualTo(2 * parameters).isEqualTo(bfl.component("transformer").tensors().byteLength());
    }
  }

  @Test
  void schnellShapedCheckpointsLoadWithoutAGuidanceEmbedder() throws IOException {
    // given
    Checkpoint diffusers = Checkpoint.open(BFL.resolve("schnell/transformer"));
    Checkpoint bfl = Checkpoint.open(BFL.resolve("flux1-tiny-schnell.safetensors"));

    // when
    try (FluxTransformer a = load(diffusers); FluxTransformer b = load(bfl)) {
      // then
      assertThat(a.config().guidanceEmbeds()).isFalse();
      assertThat(b.config().guidanceEmbeds()).isFalse();
      assertThat(a.parameters()).doesNotContainKey("time_text_embed.guidance_embedder.linear_1.weight");
      assertThat(floats(b.parameters().get("norm_out.linear.weight"))).containsExactly(floats(a.parameters().get("norm_out.linear.weight")));
    }
  }

  @Test
  void aCheckpointOfAnotherShapeIsRefusedWithEveryMismatch() throws IOException {
    // given the schnell weights read with dev's configuration (guidance embedder expected)
    Component schnell = Checkpoint.open(BFL.resolve("schnell/transformer")).component("transformer");
    FluxConfig withGuidance = FluxConfigJson.of(schnell, null).toBuilder().optGuidanceEmbeds(true).build();

    // when / then
    assertThatThrownBy(() -> FluxTransformer.load(schnell, withGuidance, Device.cpu(), manager))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("4 problems")
        .hasMessageContaining("tensor 'time_text_embed.guidance_embedder.linear_1.weight': missing: transformer needs it with shape [32, 256]");
  }

  private FluxTransformer load(Checkpoint checkpoint) throws IOException {
    Component transformer = checkpoint.component("transformer");
    return FluxTransformer.load(transformer, FluxConfigJson.of(transformer, null), Device.cpu(), manager);
  }

  private static float[] forward(FluxTransformer model, Map<String, NDArray> io) {
    try (NDManager step = NDManager.newBaseManager()) {
      NDArray packed = io.get("packed").duplicate();
      packed.attach(step);
      return model.forward(packed, io.get("txt"), io.get("pooled"), io.get("sigma"), io.get("guidance"), 4, 6).toFloatArray();
    }
  }

  private static float[] floats(NDArray array) {
    return array.toType(DataType.FLOAT32, false).toFloatArray();
  }
}
