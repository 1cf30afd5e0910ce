package dev.urae.tests.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.urae.infra.aws.AwsClientFactory;
import dev.urae.tests.support.UraeCli;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.batch.model.ComputeEnvironmentOrder;
import software.amazon.awssdk.services.batch.model.ContainerProperties;
import software.amazon.awssdk.services.batch.model.KeyValuePair;
import software.amazon.awssdk.services.batch.model.Secret;
import software.amazon.awssdk.services.batch.model.JobQueueDetail;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code terraform apply} of {@code examples/emulator} against the emulator, the outputs the
 * application reads, the upload trigger, {@code urae watch} running an uploaded manifest with
 * nothing but those outputs, and a {@code terraform destroy} that leaves nothing behind. The tests share one applied environment and run in order; the last one destroys it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmulatorExampleApplyTest {
  static final String NAME = "urae-emu";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static EmulatorExample example;
  private static AwsClientFactory aws;

  @BeforeAll
  static void applyTheEmulatorExample() {
    TerraformCli terraform = TerraformCli.find().orElse(null);
    if (terraform == null) System.out.println("[terraform] terraform is not on the PATH: apply/destroy skipped");
    assumeTrue(terraform != null, "terraform is not on the PATH: apply/destroy skipped");
    example = EmulatorExample.shared(terraform);
    aws = example.emulator().clients();
    example.apply();
  }

  @AfterAll
  static void destroyEvenWhenATestFailed() {
    if (example != null) example.destroy();
  }

  @Test
  @Order(1)
  void outputsNameTheResourcesTheApplicationReads() throws Exception {
    // given
    String bucket = example.output("bucket_name");
    String queueUrl = example.output("manifests_queue_url");
    JsonNode environment = JSON.readTree(example.output("application_environment"));

    // then the environment the job definitions carry points at what was created
    assertThat(environment.path("SPRING_PROFILES_ACTIVE").asText()).isEqualTo("aws");
    assertThat(environment.path("URAE_STORE").asText()).isEqualTo("s3://" + bucket + "/urae/").isEqualTo(example.output("store_uri"));
    assertThat(environment.path("URAE_WATCH_QUEUEURL").asText()).isEqualTo(queueUrl);
    assertThat(environment.path("SPRING_DATASOURCE_URL").asText()).startsWith("jdbc:postgresql://").endsWith("/urae?sslmode=require");
    for (String stage : List.of("CACHE", "ADAPT", "RENDER")) {
      assertThat(environment.path("URAE_AWS_BATCH_JOBQUEUE_" + stage).asText()).isEqualTo(NAME + "-gpu");
      assertThat(environment.path("URAE_AWS_BATCH_JOBDEFINITION_" + stage).asText()).isEqualTo(NAME + "-" + stage.toLowerCase());
    }
    assertThat(environment.path("URAE_AWS_BATCH_JOBQUEUE_DEFAULT").asText()).isEqualTo(NAME + "-cpu");
    assertThat(environment.has("URAE_AWS_BATCH_JOBQUEUE_TEACHER")).as("teacher is CPU-only: the default (CPU) queue").isFalse();
    assertThat(example.output("application_aws_yml")).contains("queue-url").contains(queueUrl).contains("job-definition");

    // and the emulator holds them
    var s3 = aws.s3();
    assertThat(s3.getBucketVersioning(b -> b.bucket(bucket)).status()).isEqualTo(BucketVersioningStatus.ENABLED);
    String redrive = aws.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.REDRIVE_POLICY))
        .attributes().get(QueueAttributeName.REDRIVE_POLICY);
    assertThat(redrive).contains(NAME + "-manifests-dlq");

    JobQueueDetail gpu = aws.batch().describeJobQueues(b -> b.jobQueues(NAME + "-gpu")).jobQueues().get(0);
    List<ComputeEnvironmentOrder> order = new ArrayList<>(gpu.computeEnvironmentOrder());
    order.sort(Comparator.comparing(ComputeEnvironmentOrder::order));
    assertThat(order).extracting(ComputeEnvironmentOrder::computeEnvironment)
        .satisfiesExactly(first -> assertThat(first).contains(NAME + "-gpu-spot-"), second -> assertThat(second).contains(NAME + "-gpu-od-"));
    for (String definition : List.of("cache", "adapt", "render", "cpu", "orchestrator")) {
      assertThat(aws.batch().describeJobDefinitions(b -> b.jobDefinitionName(NAME + "-" + definition).status("ACTIVE")).jobDefinitions())
          .as("active job definition " + NAME + "-" + definition).hasSize(1);
    }
  }

  @Test
  @Order(1)
  void workersStartWithoutTheDatabaseAndOrchestratorsWithIt() {
    for (String definition : List.of("cache", "adapt", "render", "cpu", "orchestrator")) {
      // given the registered job definition
      ContainerProperties container = aws.batch()
          .describeJobDefinitions(b -> b.jobDefinitionName(NAME + "-" + definition).status("ACTIVE"))
          .jobDefinitions().get(0).containerProperties();
      List<String> environment = container.environment().stream().map(KeyValuePair::name).toList();
      List<String> secrets = container.secrets().stream().map(Secret::name).toList();

      // then only the orchestrator gets the job repository, the name of its secret and its role;
      // no container gets a secret from ECS (the orchestrator reads its own at connection time)
      assertThat(secrets).as(definition).isEmpty();
      if (definition.equals("orchestrator")) {
        assertThat(environment).as(definition).contains("SPRING_DATASOURCE_URL", "URAE_DATABASE_SECRETID", "URAE_WATCH_QUEUEURL");
        assertThat(container.jobRoleArn()).endsWith("role/" + NAME + "-orchestrator");
      } else {
        assertThat(environment).as(definition).noneMatch(n -> n.startsWith("SPRING_DATASOURCE") || n.startsWith("URAE_WATCH") || n.startsWith("URAE_DATABASE"))
            .contains("URAE_STORE", "LOGGING_LEVEL_DEV_URAE");
        assertThat(container.jobRoleArn()).endsWith("role/" + NAME + "-worker");
      }
    }
    // and the one-off bootstrap job connects as the owner, with a role of its own
    ContainerProperties bootstrap = aws.batch()
        .describeJobDefinitions(b -> b.jobDefinitionName(NAME + "-database-bootstrap").status("ACTIVE"))
        .jobDefinitions().get(0).containerProperties();
    assertThat(bootstrap.command()).containsExactly("urae", "database", "bootstrap");
    assertThat(bootstrap.secrets()).isEmpty();
    assertThat(bootstrap.environment()).extracting(KeyValuePair::name)
        .contains("SPRING_DATASOURCE_URL", "URAE_DATABASE_OWNERSECRETID", "URAE_DATABASE_OWNERUSER", "URAE_DATABASE_SECRETID");
    assertThat(bootstrap.jobRoleArn()).endsWith("role/" + NAME + "-database-bootstrap");
    // and the application user's secret exists, with a generated password
    String appSecret = aws.secretsManager().getSecretValue(b -> b.secretId(NAME + "-jobrepo-app")).secretString();
    assertThat(appSecret).contains("\"username\":\"urae_app\"").containsPattern("\"password\":\"[A-Za-z0-9]{40}\"");
  }

  @Test
  @Order(2)
  void manifestUploadedUnderTheManifestsPrefixReachesTheQueue() {
    // given
    String bucket = example.output("bucket_name");
    String queueUrl = example.output("manifests_queue_url");
    String key = "urae/incoming/terraform-apply-test.jsonl";
    // moto evaluates a bucket-policy condition it cannot resolve (aws:SecureTransport) as a Deny,
    // whatever the statement's effect, so the TLS-only policy blocks every object request over the
    // emulator's plain HTTP. The policy itself is asserted over the plan; here it is lifted.
    aws.s3().deleteBucketPolicy(b -> b.bucket(bucket));

    // when
    aws.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("{\"prompt\":\"a lighthouse\"}\n"));
    aws.s3().putObject(b -> b.bucket(bucket).key("urae/runs/not-a-manifest.jsonl"), RequestBody.fromString("{}\n"));

    // then exactly the manifest is announced (S3's own test event aside)
    List<String> keys = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (keys.isEmpty() && System.nanoTime() < deadline) {
      for (Message message : aws.sqs().receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1).maxNumberOfMessages(10)).messages()) {
        keys.addAll(objectKeys(message.body()));
        // consumed here, so that urae watch in the next test does not run this upload too
        aws.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
      }
    }
    assertThat(keys).containsExactly(key);
  }

  @Test
  @Order(3)
  void uraeWatchReadsTheOutputsAndRunsAManifestUploadedToTheCreatedBucket(@TempDir Path work) throws Exception {
    // given the application configured from the Terraform outputs alone: the store, the queue and
    // the prefix/suffix that start runs. Two settings are local on purpose: the compute (moto runs
    // no containers, so the local executor does the work; test stages keep it short) and the job
    // repository (moto's Aurora has no PostgreSQL behind its endpoint; H2 under --data-dir).
    JsonNode outputs = JSON.readTree(example.output("application_environment"));
    Map<String, String> environment = new HashMap<>(example.emulator().environment());
    outputs.fields().forEachRemaining(e -> {
      if (e.getKey().startsWith("URAE_")) environment.put(e.getKey(), e.getValue().asText());
    });
    String bucket = example.output("bucket_name");
    String manifestKey = environment.get("URAE_WATCH_PREFIX") + "e2e-prompts" + environment.get("URAE_WATCH_SUFFIX");
    aws.s3().deleteBucketPolicy(b -> b.bucket(bucket)); // moto's condition handling, see above
    UraeCli cli = new UraeCli(work, environment, List.of("-Dspring.profiles.active=test-stages", "-Durae.watch.wait-seconds=1"));
    UraeCli.Started watch = cli.start("watch", "--data-dir", work.resolve("data").toString());

    try {
      // when a manifest is uploaded where the environment says manifests go
      await().atMost(Duration.ofSeconds(120)).until(() -> watch.stdoutSoFar().contains("watching "));
      aws.s3().putObject(b -> b.bucket(bucket).key(manifestKey),
          RequestBody.fromString("{\"prompt\":\"a fox\",\"id\":\"fox\"}\n{\"prompt\":\"a lighthouse\",\"id\":\"lighthouse\"}\n"));

      // then one run completes, with its outputs under the store the Terraform outputs name
      await().atMost(Duration.ofSeconds(180)).until(() -> watch.stdoutSoFar().contains(" completed"));
      String runLine = watch.stdoutSoFar().lines().filter(l -> l.startsWith("run ") && l.contains(" completed"))
          .findFirst().orElseThrow();
      String runId = runLine.split(" ")[1];
      String store = example.output("store_uri");
      assertThat(store).isEqualTo(environment.get("URAE_STORE"));
      String runPrefix = URI.create(store).getPath().substring(1) + "runs/" + runId + "/";
      List<String> written = aws.s3().listObjectsV2(b -> b.bucket(bucket).prefix(runPrefix)).contents().stream()
          .map(o -> o.key()).toList();
      assertThat(written).as("objects of run %s in s3://%s/%s", runId, bucket, runPrefix)
          .anyMatch(k -> k.endsWith(".done"))
          .anyMatch(k -> k.endsWith("input/manifest.jsonl"));
    } finally {
      watch.process().destroy();
      watch.process().waitFor(60, TimeUnit.SECONDS);
      if (watch.process().isAlive()) watch.process().destroyForcibly();
    }
  }

  @Test
  @Order(4)
  void destroyLeavesNothingBehind() {
    // given what the apply created
    String bucket = example.output("bucket_name");

    // when
    example.destroy();

    // then the SDK-visible services hold nothing of it
    assertThat(aws.s3().listBuckets().buckets()).noneMatch(b -> b.name().equals(bucket));
    assertThat(aws.sqs().listQueues(b -> b.queueNamePrefix(NAME)).queueUrls()).isEmpty();
    assertThat(aws.batch().describeJobQueues().jobQueues()).noneMatch(q -> q.jobQueueName().startsWith(NAME));
    assertThat(aws.batch().describeComputeEnvironments().computeEnvironments())
        .noneMatch(c -> c.computeEnvironmentName().startsWith(NAME));
    // Deregistered job definitions stay as INACTIVE revisions, as on AWS.
    assertThat(aws.batch().describeJobDefinitions(b -> b.status("ACTIVE")).jobDefinitions())
        .noneMatch(d -> d.jobDefinitionName().startsWith(NAME));

    // and neither do the others, listed raw (RDS's automated snapshots aside, see the README)
    Map<String, String> listings = new EmulatorInventory(example.emulator().endpoint()).listings();
    listings.forEach((listing, body) -> assertThat(body).as("%s after destroy", listing).doesNotContain(NAME));
  }

  // S3 event records URL-encode keys (moto encodes '/' too); decode before comparing.
  private static List<String> objectKeys(String body) {
    List<String> keys = new ArrayList<>();
    try {
      for (JsonNode record : JSON.readTree(body).path("Records")) {
        String key = record.at("/s3/object/key").asText();
        if (!key.isEmpty()) keys.add(URLDecoder.decode(key, StandardCharsets.UTF_8));
      }
    } catch (Exception e) {
      throw new AssertionError("not an S3 event: " + body, e);
    }
    return keys;
  }
}
