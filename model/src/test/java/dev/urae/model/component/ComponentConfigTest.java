package dev.urae.model.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.model.text.clip.ClipTextConfig;
import dev.urae.model.text.t5.T5Config;
import dev.urae.model.vae.VaeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComponentConfigTest {
  @TempDir Path dir;

  @Test
  void fluxPresetsHaveThePublishedParameterCounts() {
    // CLIP-L text tower, T5 v1.1 XXL encoder (shared embedding counted once) and FLUX's VAE.
    assertThat(ClipTextConfig.FLUX_DEV.parameterCount()).isEqualTo(123_060_480L);
    assertThat(T5Config.FLUX_DEV.parameterCount()).isEqualTo(4_762_310_656L);
    assertThat(VaeConfig.FLUX_DEV.parameterCount()).isEqualTo(83_819_683L);
  }

  @Test
  void configsRoundTripThroughTheirJson() {
    for (ComponentConfig c : List.of(ClipTextConfig.FLUX_DEV, ClipTextConfig.TINY, T5Config.FLUX_DEV, T5Config.TINY, VaeConfig.FLUX_DEV, VaeConfig.TINY)) {
      ConfigJson json = ConfigJson.of("test", c.toJson());
      ComponentConfig back = c instanceof ClipTextConfig ? ClipTextConfig.from(json) : c instanceof T5Config ? T5Config.from(json) : VaeConfig.from(json);
      assertThat(back).isEqualTo(c);
    }
  }

  @Test
  void aBadValueNamesTheFileAndTheKey() throws Exception {
    // given a T5 config of the original T5 (ReLU feed-forward)
    ObjectNode json = T5Config.TINY.toJson().put("feed_forward_proj", "relu");
    Path file = dir.resolve("config.json");
    Files.writeString(file, json.toString());

    // when / then
    assertThatThrownBy(() -> T5Config.read(file))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("\"feed_forward_proj\" must be \"gated-gelu\"")
        .hasMessageContaining("relu");
    assertThatThrownBy(() -> VaeConfig.from(ConfigJson.of("vae/config.json", VaeConfig.TINY.toJson().put("norm_num_groups", 5))))
        .hasMessageContaining("vae/config.json: \"block_out_channels\" must be multiples of norm_num_groups 5");
  }

  @Test
  void randomComponentsShardWithAnIndexAndDoNotDependOnSharding() throws Exception {
    // when the same tiny T5 is written whole and in shards of at most 64 KB
    RandomComponent.write(T5Config.TINY, dir.resolve("one"), 7, DType.F32);
    List<Path> files = RandomComponent.write(T5Config.TINY, dir.resolve("many"), 7, DType.F32, 64 * 1024);

    // then there are several shards and an index, and every tensor is the same
    int shards = files.size() - 2;
    assertThat(shards).isGreaterThan(1);
    assertThat(files).extracting(p -> p.getFileName().toString())
        .contains("config.json", String.format("model-00001-of-%05d.safetensors", shards), "model.safetensors.index.json");
    String index = Files.readString(dir.resolve("many/model.safetensors.index.json"));
    try (SafeTensorsFile one = SafeTensorsFile.open(dir.resolve("one/model.safetensors"))) {
      assertThat(one.names()).hasSize(T5Config.TINY.layout().size());
      assertThat(one.floats("encoder.block.0.layer.0.layer_norm.weight")).containsOnly(1f);
      for (Path shard : files.subList(1, files.size() - 1)) {
        try (SafeTensorsFile part = SafeTensorsFile.open(shard)) {
          for (String name : part.names()) {
            assertThat(Arrays.equals(part.floats(name), one.floats(name))).as(name).isTrue();
            assertThat(index).contains("\"" + name + "\" : \"" + shard.getFileName() + "\"");
          }
        }
      }
    }
  }

  @Test
  void randomWeightsAreNormalWithTheInitializerRangeBiasesZeroNormsOne() throws Exception {
    // when a tiny CLIP is written in float32
    RandomComponent.write(ClipTextConfig.TINY, dir.resolve("clip"), 3, DType.F32);

    // then a weight matrix has mean ≈ 0 and standard deviation ≈ 0.02, biases are zero, norm scales one
    try (SafeTensorsFile file = SafeTensorsFile.open(dir.resolve("clip/model.safetensors"))) {
      float[] embedding = file.floats("text_model.embeddings.token_embedding.weight");
      double mean = 0;
      double square = 0;
      for (float v : embedding) {
        mean += v;
        square += (double) v * v;
      }
      mean /= embedding.length;
      double std = Math.sqrt(square / embedding.length - mean * mean);
      assertThat(embedding.length).isGreaterThan(10_000);
      assertThat(mean).isCloseTo(0, org.assertj.core.data.Offset.offset(0.001));
      assertThat(std).isCloseTo(RandomComponent.STD, org.assertj.core.data.Percentage.withPercentage(3));
      assertThat(file.floats("text_model.encoder.layers.0.self_attn.q_proj.bias")).containsOnly(0f);
      assertThat(file.floats("text_model.final_layer_norm.weight")).containsOnly(1f);
    }
  }
}
