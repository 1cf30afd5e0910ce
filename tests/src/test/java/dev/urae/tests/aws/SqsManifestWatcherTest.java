package dev.urae.tests.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.urae.infra.aws.AwsClientFactory;
import dev.urae.infra.aws.AwsRetry;
import dev.urae.infra.store.NoSuchObjectException;
import dev.urae.infra.trigger.ManifestUpload;
import dev.urae.infra.trigger.RunStarter;
import dev.urae.infra.trigger.SqsManifestWatcher;
import dev.urae.tests.support.AwsEmulator;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Upload → S3 notification → SQS → watcher → run registered, against the emulator's real S3
 * notifications; duplicates, poison messages and stopping.
 */
class SqsManifestWatcherTest {
  private final AwsEmulator emulator = AwsEmulator.get();
  private final AwsClientFactory clients = emulator.clients();
  private final List<ManifestUpload> started = new CopyOnWriteArrayList<>();
  private S3Client s3;
  private SqsClient sqs;
  private SqsAsyncClient sqsAsync;
  private String bucket;
  private String queueUrl;
  private String deadLetterUrl;
  private SqsManifestWatcher watcher;
  private Thread watching;

  @BeforeEach
  void setUp() {
    s3 = clients.s3();
    sqs = clients.sqs();
    sqsAsync = clients.sqsAsync();
    bucket = AwsEmulator.uniqueName("manifests");
    s3.createBucket(b -> b.bucket(bucket));
    deadLetterUrl = sqs.createQueue(b -> b.queueName(AwsEmulator.uniqueName("urae-dlq"))).queueUrl();
    String deadLetterArn = arn(deadLetterUrl);
    // Short visibility so a message left alone comes back (and moves on) within the test.
    queueUrl = sqs.createQueue(b -> b.queueName(AwsEmulator.uniqueName("urae-watch")).attributes(Map.of(
        QueueAttributeName.VISIBILITY_TIMEOUT, "1",
        QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + deadLetterArn + "\",\"maxReceiveCount\":\"2\"}")))
        .queueUrl();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (watcher != null) {
      watcher.stop();
      watcher.awaitStopped(10, TimeUnit.SECONDS);
    }
    s3.close();
    sqs.close();
    sqsAsync.close();
  }

  @Test
  void anUploadedManifestStartsOneRunAndItsMessageIsDeleted() throws Exception {
    // given: S3 notifies the queue of new objects (and sends its test event right away)
    s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n.queueConfigurations(
        q -> q.queueArn(arn(queueUrl)).events(Event.S3_OBJECT_CREATED))));
    startWatcher(upload -> {
      started.add(upload);
      return "run-" + started.size();
    });

    // when
    s3.putObject(b -> b.bucket(bucket).key("manifests/prompts.jsonl"), RequestBody.fromString("{\"prompt\":\"a fox\"}\n"));
    s3.putObject(b -> b.bucket(bucket).key("manifests/notes.txt"), RequestBody.fromString("not a manifest"));

    // then
    await().atMost(Duration.ofSeconds(20)).until(() -> !started.isEmpty() && messagesLeft(queueUrl) == 0);
    assertThat(started).hasSize(1);
    assertThat(started.get(0).uri()).isEqualTo(URI.create("s3://" + bucket + "/manifests/prompts.jsonl"));
    assertThat(started.get(0).eTag()).isNotBlank();
    assertThat(messagesLeft(deadLetterUrl)).isZero();
  }

  @Test
  void aDuplicateNotificationStartsNoSecondRun() throws Exception {
    // given: the same notification delivered twice
    String notification = notification("manifests/a b+c.jsonl", "etag-1");
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(notification));
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(notification));

    // when
    startWatcher(upload -> {
      started.add(upload);
      return "run-1";
    });

    // then: one run, both messages gone
    await().atMost(Duration.ofSeconds(20)).until(() -> messagesLeft(queueUrl) == 0);
    assertThat(started).extracting(ManifestUpload::key).containsExactly("manifests/a b+c.jsonl");
  }

  @Test
  void poisonMessagesAreLeftForTheDeadLetterQueue() throws Exception {
    // given: one unreadable message, one naming a manifest that is gone, one good one
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("this is not an S3 event"));
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(notification("manifests/gone.jsonl", "etag-2")));
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(notification("manifests/good.jsonl", "etag-3")));

    // when
    startWatcher(upload -> {
      if (upload.key().contains("gone")) throw new NoSuchObjectException(upload.uri());
      started.add(upload);
      return "run-good";
    });

    // then: the good one ran; the two poison messages went, after their receives, to the DLQ
    await().atMost(Duration.ofSeconds(30)).until(() -> messagesLeft(deadLetterUrl) == 2 && messagesLeft(queueUrl) == 0);
    assertThat(started).extracting(ManifestUpload::key).containsExactly("manifests/good.jsonl");
  }

  @Test
  void stoppingCutsALongPollShort() throws Exception {
    // given: a watcher waiting in a 20 s long poll on an empty queue
    watcher = SqsManifestWatcher.builder().setSqs(sqsAsync).setQueueUrl(queueUrl).setStarter(u -> "never").optWaitSeconds(20).build();
    watching = new Thread(watcher, "watcher");
    watching.start();
    Thread.sleep(500);

    // when
    long t0 = System.nanoTime();
    watcher.stop();

    // then
    assertThat(watcher.awaitStopped(5, TimeUnit.SECONDS)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  private void startWatcher(RunStarter starter) {
    watcher = SqsManifestWatcher.builder().setSqs(sqsAsync).setQueueUrl(queueUrl).setStarter(starter)
        .optPrefix("manifests/").optSuffix(".jsonl").optWaitSeconds(1)
        .optRetry(new AwsRetry(3, Duration.ofMillis(10), Duration.ofMillis(50), null)).build();
    watching = new Thread(watcher, "watcher");
    watching.setDaemon(true);
    watching.start();
  }

  private int messagesLeft(String url) {
    Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
    return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  private String arn(String url) {
    return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
  }

  /** An S3 notification as S3 writes it: the key form-encoded. */
  private String notification(String key, String eTag) {
    String encoded = java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8).replace("%2F", "/");
    return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
        + "\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"" + bucket + "\"},"
        + "\"object\":{\"key\":\"" + encoded + "\",\"size\":12,\"eTag\":\"" + eTag + "\",\"sequencer\":\"0A1B\"}}}]}";
  }
}
