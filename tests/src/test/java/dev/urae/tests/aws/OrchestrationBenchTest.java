package dev.urae.tests.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.urae.infra.awsbatch.bench.OrchestrationBenchmark;
import dev.urae.infra.s3.S3ObjectStore;
import dev.urae.infra.store.ObjectStore;
import dev.urae.tests.support.AwsEmulator;
import dev.urae.tests.support.BatchEnvironment;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The orchestration benchmark against the emulator: 10,000 shards through the AWS Batch
 * executor. Not part of the default run; start it with
 * {@code mvn -o -B -pl tests test -Dtest=OrchestrationBenchTest -Durae.bench=true}.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "urae.bench", matches = "true")
class OrchestrationBenchTest {
  @Test
  void tenThousandShardsCostOneSubmissionAndOneDescribePerPoll() throws Exception {
    // given
    AwsEmulator emulator = AwsEmulator.get();
    assumeTrue(emulator.isMoto(), "AWS Batch emulation needs moto");
    int shards = Integer.getInteger("urae.bench.shards", 10_000);

    // when
    OrchestrationBenchmark.Result result = run(emulator, shards);

    // then
    assertThat(result.succeeded()).isEqualTo(shards);
    assertThat(result.meetsTargets()).isTrue();
    assertThat(result.listJobs()).isZero();
  }

  @Test
  void whenEveryChildFailsTheyAreListedOnceAndDescribedAHundredAtATime() throws Exception {
    // given: a moto in which every job fails. 1,000 shards, not 10,000: moto appends to the
    // children's shared environment list on every DescribeJobs, so describing n failed children
    // returns O(n²) entries (10,000 exhaust the heap; AWS itself has no such growth).
    var failing = AwsEmulator.startPrivateMoto(java.util.Map.of("MOTO_SIMPLE_BATCH_FAIL_AFTER", "0"));
    assumeTrue(failing.isPresent(), "needs moto_server");
    int shards = Integer.getInteger("urae.bench.failing-shards", 1_000);
    try {
      // when
      OrchestrationBenchmark.Result result = run(failing.get(), shards);

      // then: moto returns all failed children in one ListJobs page; their reasons take shards/100 DescribeJobs
      assertThat(result.succeeded()).isZero();
      assertThat(result.submitJob()).isEqualTo(1);
      assertThat(result.listJobs()).isEqualTo(1);
      assertThat(result.describeJobs()).isEqualTo(result.polls() + (shards + 99) / 100);
      assertThat(result.meetsTargets()).isTrue();
    } finally {
      failing.get().close();
    }
  }

  private static OrchestrationBenchmark.Result run(AwsEmulator emulator, int shards) throws Exception {
    BatchEnvironment batch = BatchEnvironment.create(emulator);
    String bucket = AwsEmulator.uniqueName("bench");
    try (S3Client s3 = emulator.clients().s3()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    try (ObjectStore store = S3ObjectStore.open(URI.create("s3://" + bucket + "/urae/"), emulator.clients())) {
      return OrchestrationBenchmark.run(System.out, emulator.clients(), batch.jobQueue(), batch.jobDefinition(),
          store, shards, Duration.ofMillis(200));
    }
  }
}
