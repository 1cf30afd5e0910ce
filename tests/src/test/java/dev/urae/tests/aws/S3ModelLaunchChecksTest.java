package dev.urae.tests.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.batch.stages.RemoteCheckpoint;
import dev.urae.infra.s3.S3ObjectStore;
import dev.urae.infra.store.ObjectStores;
import dev.urae.model.base.BaseModelProvider;
import dev.urae.model.base.BaseModels;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.pipeline.FluxCheckpointInit;
import dev.urae.model.tensors.DType;
import dev.urae.tests.support.AwsEmulator;
import dev.urae.tests.support.UraeCli;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code urae run --model s3://...}: the launch reads the checkpoint's configs and safetensors
 * headers from S3 (no weights) and refuses what the model cannot take, as it does for a local
 * folder, naming the option and the s3:// checkpoint, before a run id and any task.
 */
class S3ModelLaunchChecksTest {
  private final AwsEmulator emulator = AwsEmulator.get();
  private String bucket;
  @TempDir Path work;

  @BeforeEach
  void bucket() {
    bucket = AwsEmulator.uniqueName("launch-checks");
    try (S3Client s3 = emulator.clients().s3()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    ObjectStores.register("s3", root -> S3ObjectStore.open(root, emulator.clients()));
  }

  @Test
  void aGuidanceOptionForASchnellLikeCheckpointInS3IsRefusedAtLaunch() throws Exception {
    // given: a tiny checkpoint without a guidance embedder in S3
    String model = upload("models/tiny-schnell/", tiny("tiny-schnell", false));

    // when
    UraeCli.Result result = run(model, Map.of(), "--render-guidance", "3.5");

    // then
    assertThat(result.exitCode()).as(result.toString()).isNotZero();
    assertThat(result.stderr()).contains("base model " + model).contains("render.guidance (--render-guidance) is 3.5")
        .contains("no guidance embedder");
    assertNoRunStarted(result);
  }

  @Test
  void aNativeSizeOffTheGridInTheVaeConfigInS3IsRefusedAtLaunchNamingTheS3File() throws Exception {
    // given: the tiny checkpoint (pixel grid 4) whose vae/config.json says sample_size 66
    Path local = tiny("tiny", true);
    Path vaeConfig = local.resolve("vae/config.json");
    Files.writeString(vaeConfig, Files.readString(vaeConfig).replaceFirst("\"sample_size\"\\s*:\\s*\\d+", "\"sample_size\": 66"));
    String model = upload("models/tiny/", local);

    // when
    UraeCli.Result result = run(model, Map.of());

    // then
    assertThat(result.exitCode()).as(result.toString()).isNotZero();
    assertThat(result.stderr()).contains("pipeline option model '" + model.replaceFirst("/$", "") + "'").contains(model + "vae/config.json")
        .contains("sample_size 66 is not a multiple of the pixel grid 4").doesNotContain("urae-launch-model-");
    assertNoRunStarted(result);
  }

  @Test
  void aMemoryPlanOverTheDevicesMemoryIsRefusedAtLaunchFromTheHeadersInS3() throws Exception {
    // given
    String model = upload("models/tiny-plan/", tiny("tiny-plan", true));

    // when: devices of 1 MiB
    UraeCli.Result result = run(model, Map.of("URAE_DEVICE_MEMORY", "1MiB"));

    // then: planned from the checkpoint's configs and headers, named by its s3:// prefix
    assertThat(result.exitCode()).as(result.toString()).isNotZero();
    assertThat(result.stderr()).contains("launch refused before it started: the memory plan of s3://" + bucket + "/models/tiny-plan")
        .contains("does not fit the device").doesNotContain("urae-launch-model-");
    assertNoRunStarted(result);
  }

  @Test
  void theLaunchReadsTheSameFactsFromS3AsFromTheLocalFolderWithoutTheWeights() throws Exception {
    // given: a checkpoint with random (non-zero) weights
    Path local = tiny("tiny", true, FluxCheckpointInit.Weights.RANDOM);
    String model = upload("models/facts/", local);
    Path view = work.resolve("view/facts");

    // when
    RemoteCheckpoint.of(model).readForLaunch(view);
    BaseModelProvider remote = BaseModels.provider(view.toString());
    BaseModelProvider here = BaseModels.provider(local.toString());

    // then: the same grid and guidance input, the same configs
    assertThat(remote.pixelGrid()).isEqualTo(here.pixelGrid()).isEqualTo(4);
    assertThat(remote.guidanceInput()).isEqualTo(here.guidanceInput()).isTrue();
    assertThat(Files.readString(view.resolve("vae/config.json"))).isEqualTo(Files.readString(local.resolve("vae/config.json")));
    // and of the weights only the header was read: the file has its size, its data is a hole
    byte[] original = Files.readAllBytes(local.resolve("transformer/diffusion_pytorch_model.safetensors"));
    byte[] copied = Files.readAllBytes(view.resolve("transformer/diffusion_pytorch_model.safetensors"));
    int header = 8 + (int) ByteBuffer.wrap(original, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(copied).hasSameSizeAs(original);
    assertThat(Arrays.copyOf(copied, header)).isEqualTo(Arrays.copyOf(original, header));
    assertThat(Arrays.copyOfRange(copied, header, copied.length)).containsOnly((byte) 0);
    assertThat(Arrays.copyOfRange(original, header, original.length)).isNotEqualTo(new byte[original.length - header]);
  }

  private void assertNoRunStarted(UraeCli.Result result) throws IOException {
    assertThat(result.stdout()).doesNotContain("run ");
    try (Stream<Path> files = Files.walk(work.resolve("data")).filter(Files::exists)) {
      assertThat(files.map(Path::toString)).noneMatch(p -> p.contains("/runs/"));
    } catch (java.nio.file.NoSuchFileException e) {
      // no data folder at all: nothing ran
    }
  }

  private UraeCli.Result run(String model, Map<String, String> environment, String... options) throws Exception {
    Path manifest = Files.writeString(work.resolve("prompts.jsonl"), "{\"prompt\":\"a red circle\",\"width\":64,\"height\":64}\n");
    List<String> args = new ArrayList<>(List.of("run", manifest.toString(), "--data-dir", work.resolve("data").toString(),
        "--quick", "--set", "model=" + model));
    args.addAll(List.of(options));
    return new UraeCli(work, emulator.environment(), List.of()).with(environment).run(Duration.ofMinutes(3), args.toArray(String[]::new));
  }

  private Path tiny(String name, boolean guidance) throws IOException {
    return tiny(name, guidance, FluxCheckpointInit.Weights.ZEROS);
  }

  private Path tiny(String name, boolean guidance, FluxCheckpointInit.Weights weights) throws IOException {
    Path folder = work.resolve(name);
    new FluxCheckpointInit(folder, weights, 0, DType.F32, Long.MAX_VALUE)
        .write(FluxPresets.TINY.toBuilder().optGuidanceEmbeds(guidance).build());
    return folder;
  }

  /** Uploads {@code folder} as {@code aws s3 sync} would; returns the model option. */
  private String upload(String prefix, Path folder) throws IOException {
    try (S3Client s3 = emulator.clients().s3(); Stream<Path> walk = Files.walk(folder)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        String key = prefix + folder.relativize(file).toString().replace('\\', '/');
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
      }
    }
    return "s3://" + bucket + "/" + prefix;
  }
}
