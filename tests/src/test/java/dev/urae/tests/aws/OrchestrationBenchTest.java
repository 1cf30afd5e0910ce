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
    BatchEnvironment batch = BatchEnvironment.create(emulator);
    String bucket = AwsEmulator.uniqueName("bench");
    try (S3Client s3 = emulator.clients().s3()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    int shards = Integer.getInteger("urae.bench.shards", 10_000);

    // when
    OrchestrationBenchmark.Result result;
    try (ObjectStore store = S3ObjectStore.open(URI.create("s3://" + bucket + "/urae/"), emulator.clients())) {
      result = OrchestrationBenchmark.run(System.out, emulator.clients(), batch.jobQueue(), batch.jobDefinition(),
          store, shards, Duration.ofMillis(200));
    }

    // then
    assertThat(result.succeeded()).isEqualTo(shards);
    assertThat(result.meetsTargets()).isTrue();
  }
}
