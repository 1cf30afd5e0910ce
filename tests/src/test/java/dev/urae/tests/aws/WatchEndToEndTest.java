package dev.urae.tests.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.urae.batch.job.WorkStage;
import dev.urae.batch.run.RunLayout;
import dev.urae.infra.s3.S3ObjectStore;
import dev.urae.infra.store.ObjectInfo;
import dev.urae.infra.store.ObjectStore;
import dev.urae.tests.support.AwsEmulator;
import dev.urae.tests.support.UraeCli;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code urae watch} as a process against the emulator: a manifest uploaded to S3 becomes one
 * run (local executor doing the work, outputs in {@code s3://<bucket>/urae/}), a duplicate
 * notification starts nothing, and SIGTERM stops it.
 */
class WatchEndToEndTest {
  @TempDir Path work;

  @Test
  void anUploadBecomesOneFinishedRunWithItsOutputsInS3() throws Exception {
    // given: a bucket that notifies a queue, and urae watch on that queue
    AwsEmulator emulator = AwsEmulator.get();
    String bucket = AwsEmulator.uniqueName("uploads");
    String queueUrl;
    try (S3Client s3 = emulator.clients().s3(); SqsClient sqs = emulator.clients().sqs()) {
      s3.createBucket(b -> b.bucket(bucket));
      queueUrl = sqs.createQueue(b -> b.queueName(AwsEmulator.uniqueName("urae-e2e"))).queueUrl();
      notifyQueueOfUploads(s3, sqs, bucket, queueUrl);
    }
    UraeCli cli = new UraeCli(work, emulator.environment(),
        List.of("-Dspring.profiles.active=test-stages", "-Durae.watch.wait-seconds=1"));
    UraeCli.Started watch = cli.start("watch", "--queue", queueUrl, "--prefix", "manifests/",
        "--data-dir", work.resolve("data").toString());

    // when: a manifest is uploaded, and its notification arrives twice
    try (S3Client s3 = emulator.clients().s3()) {
      await().atMost(Duration.ofSeconds(90)).until(() -> watch.stdoutSoFar().contains("watching "));
      s3.putObject(b -> b.bucket(bucket).key("manifests/prompts.jsonl"),
          RequestBody.fromString("{\"prompt\":\"a fox\",\"id\":\"fox\"}\n{\"prompt\":\"a lighthouse\",\"id\":\"lighthouse\"}\n"));
    }
    await().atMost(Duration.ofSeconds(120)).until(() -> watch.stdoutSoFar().contains(" completed"));
    String runId = watch.stdoutSoFar().lines().filter(l -> l.startsWith("run ") && l.contains("s3://"))
        .findFirst().orElseThrow().split(" ")[1];
    // a second notification for the same content (no ETag this time, so only run identity can tell)
    try (SqsClient sqs = emulator.clients().sqs()) {
      String duplicate = "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\""
          + bucket + "\"},\"object\":{\"key\":\"manifests/prompts.jsonl\"}}}]}";
      sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(duplicate));
      await().atMost(Duration.ofSeconds(60)).until(() -> watch.stdoutSoFar().contains("already covers"));
      await().atMost(Duration.ofSeconds(30)).until(() -> messagesLeft(sqs, queueUrl) == 0);
    }

    // then: one run, finished, its markers in s3://<bucket>/urae/
    watch.process().destroy(); // SIGTERM
    assertThat(watch.process().waitFor(60, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
    String output = watch.stdoutSoFar();
    assertThat(output.lines().filter(l -> l.startsWith("run " + runId + " completed"))).hasSize(1);
    assertThat(output.lines().filter(l -> l.startsWith("run ")).map(l -> l.split(" ")[1]).distinct()).containsExactly(runId);
    try (ObjectStore store = S3ObjectStore.open(URI.create("s3://" + bucket + "/urae/"), emulator.clients())) {
      List<ObjectInfo> markers = store.list(new RunLayout(runId).tasks(WorkStage.NAME)).stream()
          .filter(o -> o.key().endsWith(".done")).toList();
      assertThat(markers).isNotEmpty();
    }
  }

  @Test
  void threeUploadsWithOneRunSlotAllRunAndNoneReachesTheDeadLetterQueue() throws Exception {
    // given: a queue whose messages come back after 2 s and go to the dead-letter queue after
    // two receives, and urae watch with one run slot
    AwsEmulator emulator = AwsEmulator.get();
    String bucket = AwsEmulator.uniqueName("uploads");
    String queueUrl;
    String deadLetterUrl;
    try (S3Client s3 = emulator.clients().s3(); SqsClient sqs = emulator.clients().sqs()) {
      s3.createBucket(b -> b.bucket(bucket));
      deadLetterUrl = sqs.createQueue(b -> b.queueName(AwsEmulator.uniqueName("urae-dlq"))).queueUrl();
      String deadLetterArn = arn(sqs, deadLetterUrl);
      queueUrl = sqs.createQueue(b -> b.queueName(AwsEmulator.uniqueName("urae-slots")).attributes(Map.of(
          QueueAttributeName.VISIBILITY_TIMEOUT, "2",
          QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + deadLetterArn + "\",\"maxReceiveCount\":\"2\"}")))
          .queueUrl();
      notifyQueueOfUploads(s3, sqs, bucket, queueUrl);
    }
    UraeCli cli = new UraeCli(work, emulator.environment(), List.of("-Dspring.profiles.active=test-stages",
        "-Durae.watch.wait-seconds=1", "-Durae.watch.max-concurrent-runs=1", "-Durae.watch.visibility-seconds=3"));
    UraeCli.Started watch = cli.start("watch", "--queue", queueUrl, "--prefix", "manifests/",
        "--data-dir", work.resolve("data").toString());

    // when: three different manifests arrive at once
    try (S3Client s3 = emulator.clients().s3()) {
      await().atMost(Duration.ofSeconds(90)).until(() -> watch.stdoutSoFar().contains("watching "));
      for (String name : List.of("fox", "owl", "elk")) {
        s3.putObject(b -> b.bucket(bucket).key("manifests/" + name + ".jsonl"),
            RequestBody.fromString("{\"prompt\":\"a " + name + "\",\"id\":\"" + name + "\"}\n"));
      }
    }

    // then: each becomes a run that completes, one after the other, and nothing is dead-lettered
    await().atMost(Duration.ofSeconds(300))
        .until(() -> watch.stdoutSoFar().lines().filter(l -> l.startsWith("run ") && l.contains(" completed")).count() == 3);
    try (SqsClient sqs = emulator.clients().sqs()) {
      await().atMost(Duration.ofSeconds(30)).until(() -> messagesLeft(sqs, queueUrl) == 0);
      assertThat(messagesLeft(sqs, deadLetterUrl)).as("messages in the dead-letter queue").isZero();
    } finally {
      watch.process().destroy();
      watch.process().waitFor(60, TimeUnit.SECONDS);
    }
    assertThat(watch.stdoutSoFar().lines().map(l -> l.split(" ")).filter(w -> w.length > 2 && w[0].equals("run") && w[2].startsWith("s3://")).map(w -> w[2]))
        .containsExactlyInAnyOrder("s3://" + bucket + "/manifests/fox.jsonl", "s3://" + bucket + "/manifests/owl.jsonl",
            "s3://" + bucket + "/manifests/elk.jsonl");
  }

  @Test
  void twoQuickVersionsOfOneOddlyNamedManifestBecomeTwoRunsEachWithItsOwnBytes() throws Exception {
    // given: a versioned bucket that notifies a queue, and urae watch on it
    AwsEmulator emulator = AwsEmulator.get();
    String bucket = AwsEmulator.uniqueName("uploads");
    String queueUrl;
    try (S3Client s3 = emulator.clients().s3(); SqsClient sqs = emulator.clients().sqs()) {
      s3.createBucket(b -> b.bucket(bucket));
      s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
      queueUrl = sqs.createQueue(b -> b.queueName(AwsEmulator.uniqueName("urae-versions"))).queueUrl();
      notifyQueueOfUploads(s3, sqs, bucket, queueUrl);
    }
    UraeCli cli = new UraeCli(work, emulator.environment(),
        List.of("-Dspring.profiles.active=test-stages", "-Durae.watch.wait-seconds=1"));
    UraeCli.Started watch = cli.start("watch", "--queue", queueUrl, "--prefix", "manifests/",
        "--data-dir", work.resolve("data").toString());
    String key = "manifests/night 100% #1 café.jsonl";
    String v1 = "{\"prompt\":\"a fox\",\"id\":\"fox\"}\n";
    String v2 = "{\"prompt\":\"an owl\",\"id\":\"owl\"}\n";

    // when: v2 overwrites v1 before watch has read either
    try (S3Client s3 = emulator.clients().s3()) {
      await().atMost(Duration.ofSeconds(90)).until(() -> watch.stdoutSoFar().contains("watching "));
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(v1));
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(v2));
    }

    // then: two runs complete, and each run's copy of the manifest holds its own version
    try {
      await().atMost(Duration.ofSeconds(240))
          .until(() -> watch.stdoutSoFar().lines().filter(l -> l.startsWith("run ") && l.contains(" completed")).count() == 2);
    } finally {
      watch.process().destroy();
      watch.process().waitFor(60, TimeUnit.SECONDS);
    }
    List<String> runIds = watch.stdoutSoFar().lines().filter(l -> l.startsWith("run ") && l.contains(" completed"))
        .map(l -> l.split(" ")[1]).toList();
    List<String> copies = new java.util.ArrayList<>();
    try (ObjectStore store = S3ObjectStore.open(URI.create("s3://" + bucket + "/urae/"), emulator.clients())) {
      for (String runId : runIds) {
        try (var in = store.get(new RunLayout(runId).manifestCopy(RunLayout.MAIN_SET, "jsonl"))) {
          copies.add(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
      }
    }
    assertThat(copies).containsExactlyInAnyOrder(v1, v2);
    assertThat(watch.stdoutSoFar()).contains("s3://" + bucket + "/" + key);
  }

  @Test
  void aScheduleRunsItsManifestAtEachTickAndAnUnchangedManifestOnlyOnce() throws Exception {
    // given: a local manifest and a schedule every two seconds
    Path manifest = java.nio.file.Files.writeString(work.resolve("nightly.jsonl"), "{\"prompt\":\"a fox\",\"id\":\"fox\"}\n");
    UraeCli cli = new UraeCli(work, Map.of(), List.of("-Dspring.profiles.active=test-stages"));

    // when
    UraeCli.Started schedule = cli.start("watch", "--schedule", "*/2 * * * * *", "--manifest", manifest.toString(),
        "--data-dir", work.resolve("data").toString());

    // then: the first tick runs it, a later tick finds the run that covers it
    await().atMost(Duration.ofSeconds(120)).until(() -> schedule.stdoutSoFar().contains("already covers"));
    schedule.process().destroy(); // SIGTERM
    assertThat(schedule.process().waitFor(60, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
    String output = schedule.stdoutSoFar();
    assertThat(output).containsPattern("(?m)^run \\S+ completed");
    assertThat(output.lines().filter(l -> l.startsWith("run ")).map(l -> l.split(" ")[1]).distinct()).hasSize(1);
  }

  private static void notifyQueueOfUploads(S3Client s3, SqsClient sqs, String bucket, String queueUrl) {
    String queueArn = arn(sqs, queueUrl);
    s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n.queueConfigurations(
        q -> q.queueArn(queueArn).events(Event.S3_OBJECT_CREATED))));
  }

  private static String arn(SqsClient sqs, String queueUrl) {
    return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
  }

  private static int messagesLeft(SqsClient sqs, String url) {
    Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
    return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }
}
