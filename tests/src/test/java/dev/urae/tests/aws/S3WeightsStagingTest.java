package dev.urae.tests.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.urae.batch.stages.BaseModels;
import dev.urae.batch.stages.RemoteCheckpoint;
import dev.urae.infra.aws.AwsClientFactory;
import dev.urae.infra.s3.S3ObjectStore;
import dev.urae.infra.store.ObjectStores;
import dev.urae.infra.weights.ExpectedChecksum;
import dev.urae.infra.weights.ModelCache;
import dev.urae.infra.weights.StagedWeights;
import dev.urae.infra.weights.WeightsFile;
import dev.urae.infra.weights.WeightsListing;
import dev.urae.infra.weights.WeightsSource;
import dev.urae.tests.support.AwsEmulator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * {@code --model s3://...}: a checkpoint in the emulator's S3, uploaded the ways users upload
 * (single-part, multipart as {@code aws s3 cp} does, with a SHA-256 checksum), named by its
 * listing, refused when incomplete, and staged into a local cache once however many tasks ask.
 */
class S3WeightsStagingTest {
  private static final int PART = 5 << 20;

  private final AwsEmulator emulator = AwsEmulator.get();
  private final AwsClientFactory clients = emulator.clients();
  private String bucket;
  @TempDir Path cacheRoot;

  @BeforeEach
  void bucket() {
    bucket = AwsEmulator.uniqueName("weights");
    try (S3Client s3 = clients.s3()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    ObjectStores.register("s3", root -> S3ObjectStore.open(root, clients));
  }

  @Test
  void twoTasksOnOneInstanceStageTheCheckpointOnceAndVerifyEveryFile() throws Exception {
    // given: a checkpoint whose transformer shard is a three-part multipart upload
    String model = uploadCheckpoint("models/tiny/");
    WeightsListing listing = RemoteCheckpoint.of(model).list();
    Callable<StagedWeights> task = stager(model);

    // when: two tasks stage it at once, then a third later
    ExecutorService threads = Executors.newFixedThreadPool(2);
    List<StagedWeights> staged = new ArrayList<>();
    try {
      List<Future<StagedWeights>> running = List.of(threads.submit(task), threads.submit(task));
      for (Future<StagedWeights> f : running) staged.add(f.get());
    } finally {
      threads.shutdownNow();
    }
    StagedWeights later = task.call();

    // then: every file was copied once in all, and the copies are the uploaded bytes
    assertThat(staged.get(0).filesCopied() + staged.get(1).filesCopied()).isEqualTo(listing.files().size());
    assertThat(later.filesCopied()).isZero();
    assertThat(later.folder()).isEqualTo(staged.get(0).folder()).isEqualTo(staged.get(1).folder());
    assertThat(later.digest()).isEqualTo(listing.digest()).isEqualTo(BaseModels.weightsDigest(model));
    assertThat(Files.readAllBytes(later.folder().resolve("transformer/diffusion_pytorch_model.safetensors")))
        .isEqualTo(shard());
    assertThat(Files.readString(later.folder().resolve("vae/config.json"))).isEqualTo("{\"latent_channels\":16}");
  }

  @Test
  void eachFileIsVerifiedAgainstTheBestChecksumS3Has() throws Exception {
    // given
    String model = uploadCheckpoint("models/checksums/");

    // when
    Map<String, ExpectedChecksum> checksums = new java.util.TreeMap<>();
    try (S3ObjectStore store = S3ObjectStore.open(URI.create(model), clients)) {
      WeightsSource source = store.weights();
      for (WeightsFile file : source.list().files()) checksums.put(file.path(), source.checksum(file));
    }

    // then: S3's SHA-256 when uploaded with one, the multipart ETag with the upload's part size, else the MD5 ETag
    assertThat(checksums.get("vae/model.safetensors")).isInstanceOf(ExpectedChecksum.Sha256.class);
    assertThat(checksums.get("transformer/diffusion_pytorch_model.safetensors"))
        .isInstanceOfSatisfying(ExpectedChecksum.ETag.class, e -> {
          assertThat(e.partSize()).isEqualTo(PART);
          assertThat(e.eTag()).endsWith("-3");
        });
    assertThat(checksums.get("model_index.json"))
        .isInstanceOfSatisfying(ExpectedChecksum.ETag.class, e -> assertThat(e.eTag()).doesNotContain("-"));
  }

  @Test
  void aWorkerRefusesWeightsUploadedAgainAfterLaunch() throws Exception {
    // given: the digest recorded at launch, then one file replaced
    String model = uploadCheckpoint("models/changed/");
    String atLaunch = BaseModels.weightsDigest(model);
    put("models/changed/vae/config.json", "{\"latent_channels\":4}");

    // when / then
    assertThatThrownBy(() -> RemoteCheckpoint.of(model).stage(atLaunch, Map.of("URAE_MODELCACHE", cacheRoot.toString())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the checkpoint under " + model)
        .hasMessageContaining("but the run was launched with " + atLaunch);
    assertThat(cacheRoot).isEmptyDirectory();
  }

  @Test
  void aPrefixWithoutTheTextEncodersAndVaeIsRefusedAtLaunchNamingWhatIsMissing() throws Exception {
    // given
    put("models/partial/model_index.json", "{}");
    put("models/partial/transformer/config.json", "{}");
    put("models/partial/transformer/diffusion_pytorch_model.safetensors", "x");
    put("models/partial/text_encoder/config.json", "{}");
    String model = "s3://" + bucket + "/models/partial";

    // when / then
    assertThatThrownBy(() -> BaseModels.weightsDigest(model))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pipeline option model: " + model + "/ is not a FLUX.1 checkpoint in the diffusers layout; missing "
            + "text_encoder/*.safetensors, text_encoder_2/config.json, text_encoder_2/*.safetensors, vae/config.json, vae/*.safetensors");
    assertThatThrownBy(() -> BaseModels.weightsDigest("s3://" + bucket + "/nothing-here/"))
        .hasMessageContaining("s3://" + bucket + "/nothing-here/ holds no objects");
  }

  private Callable<StagedWeights> stager(String model) {
    return () -> {
      try (S3ObjectStore store = S3ObjectStore.open(URI.create(model), clients)) {
        return new ModelCache(cacheRoot).stage(store.weights());
      }
    };
  }

  /** The files of a diffusers checkpoint, each uploaded one of the ways S3 users upload. */
  private String uploadCheckpoint(String prefix) {
    put(prefix + "model_index.json", "{\"_class_name\":\"FluxPipeline\"}");
    for (String component : List.of("text_encoder", "text_encoder_2", "vae")) {
      put(prefix + component + "/config.json", component.equals("vae") ? "{\"latent_channels\":16}" : "{}");
    }
    try (S3Client s3 = clients.s3()) {
      // with S3's SHA-256 additional checksum (aws s3 cp --checksum-algorithm SHA256)
      for (String component : List.of("text_encoder", "text_encoder_2", "vae")) {
        s3.putObject(b -> b.bucket(bucket).key(prefix + component + "/model.safetensors").checksumAlgorithm(ChecksumAlgorithm.SHA256),
            RequestBody.fromBytes(("weights of " + component).getBytes(StandardCharsets.UTF_8)));
      }
      put(prefix + "transformer/config.json", "{\"num_layers\":1}");
      // multipart, equal parts and a short last one, as aws s3 cp uploads large files
      String key = prefix + "transformer/diffusion_pytorch_model.safetensors";
      String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
      byte[] shard = shard();
      List<CompletedPart> parts = new ArrayList<>();
      for (int n = 1, start = 0; start < shard.length; n++, start += PART) {
        int number = n;
        byte[] part = java.util.Arrays.copyOfRange(shard, start, Math.min(shard.length, start + PART));
        String eTag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(upload).partNumber(number), RequestBody.fromBytes(part)).eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
      }
      s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload).multipartUpload(m -> m.parts(parts)));
    }
    return "s3://" + bucket + "/" + prefix;
  }

  private static byte[] shard() {
    byte[] bytes = new byte[2 * PART + 12_345];
    new Random(11).nextBytes(bytes);
    return bytes;
  }

  private void put(String key, String text) {
    try (S3Client s3 = clients.s3()) {
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(text));
    }
  }
}
