package dev.urae.model.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.model.base.BaseModels;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.tensors.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model references and the checks a FLUX checkpoint folder passes before anything loads. */
class FluxBaseModelProviderTest {
  @TempDir Path dir;

  @Test
  void aReferenceToNothingSaysSoAndWhatToGive() {
    assertThatThrownBy(() -> BaseModels.provider(dir.resolve("nowhere").toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pipeline option model '" + dir.resolve("nowhere") + "'")
        .hasMessageContaining("no such file or folder")
        .hasMessageContaining("'demo'");
  }

  @Test
  void anObjectStoreReferenceIsNotReadHere() {
    assertThatThrownBy(() -> BaseModels.provider("s3://bucket/flux-dev"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a local path").hasMessageContaining("staged");
  }

  @Test
  void aFolderWithoutAKnownLayoutIsRefused() throws IOException {
    Files.createDirectories(dir.resolve("empty"));

    assertThatThrownBy(() -> BaseModels.provider(dir.resolve("empty").toString()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown layout");
  }

  @Test
  void everyMissingComponentIsListedAtOnce() throws IOException {
    // given a checkpoint without its VAE and its T5 tokenizer
    Path model = init();
    delete(model.resolve("vae"));
    delete(model.resolve("tokenizer_2"));
    Path index = model.resolve("model_index.json");
    ObjectNode json = (ObjectNode) FluxCheckpointInit.JSON.readTree(index.toFile());
    json.remove("vae");
    json.remove("tokenizer_2");
    FluxCheckpointInit.JSON.writeValue(index.toFile(), json);

    // then
    assertThatThrownBy(() -> BaseModels.provider(model.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 problems")
        .hasMessageContaining("missing: the VAE (AutoencoderKL)")
        .hasMessageContaining("missing: the T5 tokenizer");
  }

  @Test
  void textEncodersThatDoNotFitTheTransformerAreRefused() throws IOException {
    // given a T5 of another width than the transformer's joint_attention_dim
    Path model = init();
    Path config = model.resolve("text_encoder_2/config.json");
    ObjectNode json = (ObjectNode) FluxCheckpointInit.JSON.readTree(config.toFile());
    FluxCheckpointInit.JSON.writeValue(config.toFile(), json.put("d_model", 48));

    // then
    assertThatThrownBy(() -> FluxBaseModelProvider.open("tiny", model))
        .hasMessageContaining("text_encoder_2")
        .hasMessageContaining("d_model 48 does not fit the transformer's joint_attention_dim " + FluxPresets.TINY.jointAttentionDim());
  }

  @Test
  void factsAreKnownWithoutLoading() throws IOException {
    // when
    FluxBaseModelProvider provider = FluxBaseModelProvider.open("tiny", init());

    // then
    assertThat(provider.pixelGrid()).isEqualTo(4);
    assertThat(provider.nativeResolution()).isEqualTo(FluxCheckpointInit.SMALL_NATIVE_RESOLUTION);
    assertThat(provider.guidanceInput()).isTrue();
  }

  private Path init() throws IOException {
    Path model = dir.resolve("tiny");
    new FluxCheckpointInit(model, FluxCheckpointInit.Weights.ZEROS, 0, DType.BF16, Long.MAX_VALUE).write(FluxPresets.TINY);
    return model;
  }

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
