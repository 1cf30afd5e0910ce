package dev.urae.tests.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.urae.infra.aws.AwsClientFactory;
import dev.urae.infra.aws.AwsRetry;
import dev.urae.infra.s3.S3ObjectStore;
import dev.urae.infra.store.NoSuchObjectException;
import dev.urae.infra.store.ObjectInfo;
import dev.urae.infra.store.ObjectStore;
import dev.urae.infra.store.ObjectStoreContract;
import dev.urae.infra.store.ObjectStores;
import dev.urae.tests.support.AwsEmulator;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * The S3 store honours the object-store contract against the emulator (one fresh bucket per
 * test, a prefix inside it), plus what only S3 has: multipart uploads, objects written by
 * others, and missing buckets.
 */
class S3ObjectStoreTest extends ObjectStoreContract {
  private static final long PART = 5L << 20;

  private final AwsEmulator emulator = AwsEmulator.get();
  private final AwsClientFactory clients = emulator.clients();
  private String bucket;

  @Override
  protected ObjectStore newStore() {
    bucket = AwsEmulator.uniqueName("store");
    try (S3Client s3 = clients.s3()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    // Threshold one part above the minimum, so the large-object test goes multipart.
    return S3ObjectStore.open(URI.create("s3://" + bucket + "/urae/"), clients,
        new AwsRetry(3, Duration.ofMillis(10), Duration.ofMillis(50), null), PART, PART);
  }

  @Override
  protected long largeObjectSize() {
    return 2 * PART + 12_345; // three parts, the last one short
  }

  @Test
  void objectsUploadedByOthersStillStatWithTheirSha256() throws Exception {
    // given: a manifest a user uploaded with another tool (no sha256 metadata)
    byte[] manifest = "{\"prompt\":\"a fox\"}\n".getBytes(StandardCharsets.UTF_8);
    try (S3Client s3 = clients.s3()) {
      s3.putObject(b -> b.bucket(bucket).key("urae/manifests/m.jsonl"), RequestBody.fromBytes(manifest));
    }

    // when
    var info = store.stat("manifests/m.jsonl");

    // then
    assertThat(info).contains(new ObjectInfo("manifests/m.jsonl", manifest.length, sha256(manifest)));
  }

  @Test
  void aVersionNamedByItsETagIsReadAfterALaterUploadReplacedIt() throws Exception {
    // given: a versioned bucket where v2 overwrote v1 under a key with '%', '#', a space and 'é'
    String key = "incoming/night 100% #1 café.jsonl";
    String eTagOfV1;
    try (S3Client s3 = clients.s3()) {
      s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
      eTagOfV1 = s3.putObject(b -> b.bucket(bucket).key("urae/" + key), RequestBody.fromString("v1")).eTag().replace("\"", "");
      s3.putObject(b -> b.bucket(bucket).key("urae/" + key), RequestBody.fromString("v2"));
    }

    // when: read by the ETag an upload event carries (unquoted), and without a version
    String pinned;
    try (InputStream in = store.get(key, null, eTagOfV1)) {
      pinned = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String current;
    try (InputStream in = store.get(key, null, null)) {
      current = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    // then
    assertThat(pinned).isEqualTo("v1");
    assertThat(current).isEqualTo("v2");
    assertThat(store.uri(key).toString()).isEqualTo("s3://" + bucket + "/urae/incoming/night%20100%25%20%231%20café.jsonl");
  }

  @Test
  void aReplacedVersionInABucketWithoutVersionsIsGoneAndSaysWhy() throws Exception {
    // given
    String eTagOfV1;
    try (S3Client s3 = clients.s3()) {
      eTagOfV1 = s3.putObject(b -> b.bucket(bucket).key("urae/incoming/m.jsonl"), RequestBody.fromString("v1")).eTag();
      s3.putObject(b -> b.bucket(bucket).key("urae/incoming/m.jsonl"), RequestBody.fromString("v2"));
    }

    // when / then
    assertThatThrownBy(() -> store.get("incoming/m.jsonl", null, eTagOfV1))
        .isInstanceOf(NoSuchObjectException.class)
        .hasMessageContaining("replaced by a later upload");
  }

  @Test
  void theStoreWritesOnlyUnderItsPrefix() throws Exception {
    // when
    store.put("runs/r1/x.json", new byte[] {1, 2});

    // then
    try (S3Client s3 = clients.s3()) {
      assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents())
          .extracting(o -> o.key()).containsExactly("urae/runs/r1/x.json");
    }
  }

  @Test
  void aMissingBucketIsANotFoundNamingTheS3Uri() throws Exception {
    // given
    try (ObjectStore missing = S3ObjectStore.open(URI.create("s3://" + AwsEmulator.uniqueName("absent") + "/p/"), clients)) {
      // then
      assertThatThrownBy(() -> missing.get("runs/x.json"))
          .isInstanceOf(NoSuchObjectException.class)
          .hasMessageContaining(missing.root() + "runs/x.json");
      assertThat(missing.stat("runs/x.json")).isEmpty();
      assertThat(missing.list("runs/")).isEmpty();
    }
  }

  @Test
  void theS3SchemeOpensThroughObjectStores() throws Exception {
    // given
    ObjectStores.register("s3", root -> S3ObjectStore.open(root, clients));

    // when
    try (ObjectStore opened = ObjectStores.open("s3://" + bucket + "/urae/")) {
      opened.put("hello.txt", "hi".getBytes(StandardCharsets.UTF_8));

      // then
      assertThat(opened).isInstanceOf(S3ObjectStore.class);
      assertThat(store.exists("hello.txt")).isTrue();
    }
  }
}
