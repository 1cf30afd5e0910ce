package dev.urae.tests.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.urae.tests.support.AwsEmulator;
import dev.urae.tests.support.BatchEnvironment;
import dev.urae.tests.support.UraeCli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code urae run s3://... --profile aws} as a process: S3 store, AWS Batch executor, settings
 * from the environment variables Terraform sets. Moto "runs" the jobs without containers, so no
 * worker writes a marker: the stage must report SUCCEEDED-without-marker as a failure, and
 * {@code urae cancel} must find nothing left to terminate.
 */
class AwsProfileEndToEndTest {
  @TempDir Path work;

  @Test
  void theAwsProfileSubmitsToBatchAndRefusesSuccessWithoutMarkers() throws Exception {
    // given
    AwsEmulator emulator = AwsEmulator.get();
    assumeTrue(emulator.isMoto(), "AWS Batch emulation needs moto");
    BatchEnvironment batch = BatchEnvironment.create(emulator);
    BatchEnvironment gpu = BatchEnvironment.create(emulator);
    String bucket = AwsEmulator.uniqueName("aws-profile");
    try (S3Client s3 = emulator.clients().s3()) {
      s3.createBucket(b -> b.bucket(bucket));
      s3.putObject(b -> b.bucket(bucket).key("manifests/prompts.jsonl"),
          RequestBody.fromString("{\"prompt\":\"a fox\",\"id\":\"fox\"}\n"));
    }
    Map<String, String> environment = new HashMap<>(emulator.environment());
    environment.putAll(batch.stagePlacement(gpu));
    environment.put("URAE_AWS_BATCH_POLLMIN", "200ms");
    environment.put("URAE_STORE", "s3://" + bucket + "/urae/");
    UraeCli cli = new UraeCli(work, environment, List.of("-Durae.task-retries=0"));
    String data = work.resolve("data").toString();

    // when
    UraeCli.Result run = cli.run(Duration.ofSeconds(120), "run", "s3://" + bucket + "/manifests/prompts.jsonl",
        "--profile", "aws", "--data-dir", data);

    // then: the first stage went to AWS Batch, which claimed success, but no worker left a marker
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.stdout() + run.stderr()).contains("the executor reported success but");
    String runId = run.stdout().lines().filter(l -> l.startsWith("run ")).findFirst().orElseThrow().split(" ")[1];
    try (BatchClient client = emulator.clients().batch()) {
      assertThat(client.listJobs(b -> b.jobQueue(batch.jobQueue())).jobSummaryList())
          .as("jobs submitted for run " + runId).isNotEmpty()
          .allSatisfy(job -> assertThat(job.jobName()).startsWith("urae-" + runId.substring(0, Math.min(runId.length(), 16)).toLowerCase()));
    }
    UraeCli.Result cancel = cli.run(Duration.ofSeconds(90), "cancel", runId, "--profile", "aws", "--data-dir", data);
    assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
    assertThat(cancel.stdout()).contains("run " + runId + ": not running (failed); 0 AWS Batch job(s) terminated");
  }
}
