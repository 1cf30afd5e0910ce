package dev.urae.model.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.ModelWeights;
import dev.urae.model.tensors.SafeTensorsWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTextEncoderTest {
  @TempDir Path dir;
  private NDManager manager;
  private final Vocabulary vocabulary = Vocabulary.of(List.of("red", "Blue", "circle", "red"));

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void tokenizesLowerCaseWordsWithUnknownAndPadding() {
    assertThat(vocabulary.words()).containsExactly("<pad>", "<unk>", "red", "blue", "circle");
    assertThat(vocabulary.encode("A RED, blue-circle!", 6)).containsExactly(1, 2, 3, 4, 0, 0);
    assertThat(vocabulary.encode("red red red", 2)).containsExactly(2, 2);
  }

  @Test
  void encodesToTheTransformerWidths() {
    try (DemoTextEncoder encoder = DemoTextEncoder.create(vocabulary, 8, 64, 32, 1, manager)) {
      // when
      TextEmbedding one = encoder.encode("red circle", manager);
      NDList batch = encoder.encodeBatch(List.of("red circle", "blue"), manager);

      // then
      assertThat(one.sequence().getShape()).isEqualTo(new Shape(8, 64));
      assertThat(one.pooled().getShape()).isEqualTo(new Shape(32));
      assertThat(batch.get(0).getShape()).isEqualTo(new Shape(2, 8, 64));
      assertThat(batch.get(1).get(0).toFloatArray()).containsExactly(one.pooled().toFloatArray(), within(1e-6f));
      assertThat(batch.get(1).get(1).toFloatArray()).isNotEqualTo(one.pooled().toFloatArray());
    }
  }

  @Test
  void swappingTheColoursOfTwoObjectsChangesEveryOutput() {
    // given the same words, with the colours bound to the other objects
    Vocabulary words = Vocabulary.of(List.of("a", "large", "yellow", "blue", "square", "triangle", "at", "the", "top", "left", "right", "and"));
    String original = "a large yellow square at the top right and a large blue triangle at the top left";
    String swapped = "a large blue square at the top right and a large yellow triangle at the top left";
    try (DemoTextEncoder encoder = DemoTextEncoder.create(words, 20, 16, 8, 3, manager)) {
      // when
      TextEmbedding a = encoder.encode(original, manager);
      TextEmbedding b = encoder.encode(swapped, manager);

      // then a bag of words would give the same pooled vector; the attention layer does not
      assertThat(maxDifference(a.pooled().toFloatArray(), b.pooled().toFloatArray())).isGreaterThan(1e-3f);
      // and the feature of the word "square" (token 3) knows which colour came before it
      float[] squareA = a.sequence().get(3).toFloatArray();
      float[] squareB = b.sequence().get(3).toFloatArray();
      assertThat(maxDifference(squareA, squareB)).isGreaterThan(1e-3f);
    }
  }

  @Test
  void wordOrderAloneChangesTheFeatures() {
    // given two prompts with the same words in another order (no absolute positions in this encoder)
    Vocabulary words = Vocabulary.of(List.of("red", "blue", "circle", "square"));
    try (DemoTextEncoder encoder = DemoTextEncoder.create(words, 8, 16, 8, 5, manager)) {
      // when
      TextEmbedding a = encoder.encode("red circle blue square", manager);
      TextEmbedding b = encoder.encode("blue square red circle", manager);

      // then the relative-position bias tells them apart: a bag of words would not
      assertThat(maxDifference(a.pooled().toFloatArray(), b.pooled().toFloatArray())).isGreaterThan(1e-3f);
    }
  }

  @Test
  void namesEveryLayersWeights() {
    try (DemoTextEncoder encoder = DemoTextEncoder.create(vocabulary, 8, 16, 8, 1, manager)) {
      // when
      Map<String, Shape> layout = new java.util.LinkedHashMap<>();
      encoder.layout().forEach(spec -> layout.put(spec.name(), spec.shape()));

      // then
      assertThat(layout).containsEntry("token_embedding.weight", new Shape(5, 16))
          .containsEntry("layers.1.attention.relative_bias", new Shape(2 * DemoTextEncoder.MAX_OFFSET + 1, DemoTextEncoder.HEADS))
          .containsEntry("layers.1.mlp.fc1.weight", new Shape(32, 16))
          .containsEntry("layers.1.mlp.fc2.weight", new Shape(16, 32))
          .containsEntry("pooled_projection.weight", new Shape(8, 16))
          .hasSize(1 + DemoTextEncoder.LAYERS * 9 + 2);
    }
  }

  @Test
  void refusesAWidthTheHeadsCannotShare() {
    assertThatThrownBy(() -> DemoTextEncoder.create(vocabulary, 8, 18, 8, 1, manager))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sequenceDim must be a positive multiple of 4 (the attention heads), got 18");
  }

  @Test
  void theEmptyPromptEncodesToFiniteFeatures() {
    try (DemoTextEncoder encoder = DemoTextEncoder.create(vocabulary, 8, 16, 8, 1, manager)) {
      // when every token is a pad (the unconditional prompt of caption dropout)
      TextEmbedding empty = encoder.encode("", manager);

      // then attention over nothing but pads stays finite
      for (float v : empty.sequence().toFloatArray()) assertThat(v).isFinite();
      for (float v : empty.pooled().toFloatArray()) assertThat(v).isFinite();
    }
  }

  private static float maxDifference(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
    return max;
  }

  @Test
  void weightsSaveAndLoadByName() throws Exception {
    // given
    Path file = dir.resolve("text.safetensors");
    try (DemoTextEncoder a = DemoTextEncoder.create(vocabulary, 8, 16, 8, 1, manager);
        DemoTextEncoder b = DemoTextEncoder.create(vocabulary, 8, 16, 8, 2, manager)) {
      ModelWeights.save(a, file, DType.F32, Map.of());

      // when
      ModelWeights.load(b, file);

      // then
      assertThat(b.encode("blue circle", manager).pooled().toFloatArray()).containsExactly(a.encode("blue circle", manager).pooled().toFloatArray());
    }
  }

  @Test
  void readsUraeCachedFeatures() throws Exception {
    // given a cache in URAE's layout
    Path file = dir.resolve("item_t5.safetensors");
    new SafeTensorsWriter()
        .addFloats(UraeCachedFeatures.T5, new Shape(1, 4, 3), new float[12], DType.BF16)
        .addFloats(UraeCachedFeatures.CLIP, new Shape(5), new float[] {1, 2, 3, 4, 5}, DType.F16)
        .write(file);

    // when
    TextEmbedding features = UraeCachedFeatures.read(file, manager);

    // then
    assertThat(features.sequence().getShape()).isEqualTo(new Shape(4, 3));
    assertThat(features.pooled().toFloatArray()).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void missingFeatureIsNamed() throws Exception {
    Path file = dir.resolve("partial.safetensors");
    new SafeTensorsWriter().addFloats(UraeCachedFeatures.T5, new Shape(2, 3), new float[6], DType.F32).write(file);
    assertThatThrownBy(() -> UraeCachedFeatures.read(file, manager)).hasMessageContaining("missing tensor 'caption_feature_clip'");
  }
}
