package dev.urae.batch.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RemoteCheckpointTest {
  @Test
  void aCompleteDiffusersLayoutLacksNothing() {
    Set<String> paths = Set.of("model_index.json", "scheduler/scheduler_config.json",
        "transformer/config.json", "transformer/diffusion_pytorch_model-00001-of-00003.safetensors",
        "text_encoder/config.json", "text_encoder/model.safetensors",
        "text_encoder_2/config.json", "text_encoder_2/model-00001-of-00002.safetensors",
        "vae/config.json", "vae/diffusion_pytorch_model.safetensors");

    assertThat(RemoteCheckpoint.missing(paths)).isEmpty();
  }

  @Test
  void aBflSingleFileIsNotTheDiffusersLayoutAndEveryMissingPartIsNamed() {
    assertThat(RemoteCheckpoint.missing(Set.of("flux1-dev.safetensors", "ae.safetensors")))
        .containsExactly("model_index.json", "transformer/config.json", "transformer/*.safetensors",
            "text_encoder/config.json", "text_encoder/*.safetensors", "text_encoder_2/config.json",
            "text_encoder_2/*.safetensors", "vae/config.json", "vae/*.safetensors");
  }

  @Test
  void onlyS3PrefixesWithABucketAreRemoteCheckpoints() {
    assertThat(RemoteCheckpoint.isRemote("s3://models/flux1-dev")).isTrue();
    assertThat(RemoteCheckpoint.isRemote("/data/flux1-dev")).isFalse();
    assertThat(RemoteCheckpoint.of("s3://models/flux1-dev")).hasToString("s3://models/flux1-dev/");
    assertThatThrownBy(() -> RemoteCheckpoint.of("s3:///flux1-dev/"))
        .hasMessage("pipeline option model: not an S3 prefix (expected s3://bucket/prefix/): s3:///flux1-dev/");
    assertThatThrownBy(() -> RemoteCheckpoint.of("s3://Bad_Bucket/x/")).hasMessageContaining("not an S3 prefix");
  }

  @Test
  void theModelCacheComesFromTheEnvironmentElseTheTemporaryFolder() {
    assertThat(RemoteCheckpoint.cacheRoot(Map.of("URAE_MODELCACHE", "/mnt/nvme/models"))).isEqualTo(Path.of("/mnt/nvme/models"));
    assertThat(RemoteCheckpoint.cacheRoot(Map.of()))
        .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "urae-model-cache"));
  }
}
