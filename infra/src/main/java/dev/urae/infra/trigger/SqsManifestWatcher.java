package dev.urae.infra.trigger;

import dev.urae.infra.aws.AwsErrors;
import dev.urae.infra.aws.AwsRetry;
import dev.urae.infra.store.NoSuchObjectException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Long-polls an SQS queue of S3 events and starts one run per manifest version.
 *
 * <p>A message is deleted only after every manifest it names has a registered run (the
 * {@link RunStarter} returned). Test events and uploads outside the prefix/suffix are deleted
 * as handled. Poison messages (unreadable, or naming a manifest that is gone) are logged and
 * left alone: the queue redelivers them until its redrive policy moves them to the dead-letter
 * queue. A failure to register leaves the message for redelivery too. Uploads already
 * registered by this watcher are not handed over again (a duplicate notification); across
 * watchers and restarts the app's run identity keeps them to one run.
 *
 * <p>{@link #run()} loops until {@link #stop()}; stopping cancels a long poll in flight (the
 * asynchronous client can abort it), but never a run being registered.
 */
public final class SqsManifestWatcher implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(SqsManifestWatcher.class);
  private static final int REMEMBERED = 10_000;

  private final SqsAsyncClient sqs;
  private final String queueUrl;
  private final String prefix;
  private final String suffix;
  private final int waitSeconds;
  private final RunStarter starter;
  private final AwsRetry retry;
  private final Set<String> registered = Collections.newSetFromMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED;
    }
  });
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Object receiveLock = new Object();
  private volatile boolean stopping;
  private CompletableFuture<ReceiveMessageResponse> inFlight;

  private SqsManifestWatcher(Builder b) {
    this.sqs = b.sqs;
    this.queueUrl = b.queueUrl;
    this.prefix = b.prefix;
    this.suffix = b.suffix;
    this.waitSeconds = b.waitSeconds;
    this.starter = b.starter;
    this.retry = b.retry;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Polls until {@link #stop()}; throws when the queue cannot be read at all (wrong URL, no permission). */
  @Override
  public void run() {
    LOG.info("watching {} for manifests{}{}", queueUrl, prefix.isEmpty() ? "" : " under " + prefix, " ending in " + suffix);
    try {
      while (!stopping) {
        ReceiveMessageResponse response = receive();
        if (response == null) break;
        for (Message message : response.messages()) {
          if (handle(message)) delete(message);
        }
      }
    } finally {
      finished.countDown();
      LOG.info("stopped watching {}", queueUrl);
    }
  }

  /** Asks the loop to end; an ongoing long poll is cut short. Safe to call more than once. */
  public void stop() {
    stopping = true;
    synchronized (receiveLock) {
      if (inFlight != null) inFlight.cancel(true);
    }
  }

  /** Waits for {@link #run()} to return after {@link #stop()}. */
  public boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
    return finished.await(timeout, unit);
  }

  private ReceiveMessageResponse receive() {
    try {
      return retry.call("ReceiveMessage " + queueUrl, () -> {
        CompletableFuture<ReceiveMessageResponse> call;
        synchronized (receiveLock) {
          if (stopping) throw new CancellationException("stopping");
          call = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
              .maxNumberOfMessages(10).waitTimeSeconds(waitSeconds)
              .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
          inFlight = call;
        }
        try {
          return call.join();
        } finally {
          synchronized (receiveLock) {
            inFlight = null;
          }
        }
      });
    } catch (Exception e) {
      if (stopping) return null; // the poll was cut short on purpose
      throw new IllegalStateException("cannot read SQS queue " + queueUrl + ": " + AwsErrors.describe(e)
          + " (check urae.watch.queue-url and the orchestrator's sqs:ReceiveMessage permission)", e);
    }
  }

  /** Returns true when the message is fully handled and may be deleted. */
  private boolean handle(Message message) {
    S3Event event;
    try {
      event = S3EventParser.parse(message.body());
    } catch (UnreadableEventException e) {
      LOG.warn("poison message {} (received {} times), left for the dead-letter queue: {}", message.messageId(),
          message.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "?"), e.getMessage());
      return false;
    }
    if (event.testEvent()) {
      LOG.info("skipped S3 test event {}", message.messageId());
      return true;
    }
    boolean allDone = true;
    for (ManifestUpload upload : event.uploads()) {
      if (!upload.key().startsWith(prefix) || !upload.key().endsWith(suffix)) {
        LOG.debug("ignored {}: outside prefix '{}' / suffix '{}'", upload, prefix, suffix);
        continue;
      }
      synchronized (registered) {
        if (registered.contains(upload.identity())) {
          LOG.info("duplicate notification for {}: its run is already registered", upload);
          continue;
        }
      }
      try {
        String runId = starter.start(upload);
        synchronized (registered) {
          registered.add(upload.identity());
        }
        LOG.info("manifest {} → run {}", upload, runId);
      } catch (NoSuchObjectException e) {
        LOG.warn("poison message {}: manifest {} is gone ({}); left for the dead-letter queue", message.messageId(), upload, e.getMessage());
        allDone = false;
      } catch (Exception e) {
        if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        LOG.warn("could not register a run for {}: {}; the message will be redelivered", upload, e.getMessage());
        allDone = false;
      }
    }
    return allDone;
  }

  private void delete(Message message) {
    try {
      retry.call("DeleteMessage " + queueUrl,
          () -> sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle())).join());
    } catch (Exception e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      // Not fatal: the message comes back and its run is found already registered.
      LOG.warn("could not delete message {}: {}", message.messageId(), AwsErrors.describe(e));
    }
  }

  public static final class Builder {
    private SqsAsyncClient sqs;
    private String queueUrl;
    private String prefix = "";
    private String suffix = ".jsonl";
    private int waitSeconds = 20;
    private RunStarter starter;
    private AwsRetry retry = AwsRetry.standard();

    private Builder() {}

    public Builder setSqs(SqsAsyncClient sqs) {
      this.sqs = sqs;
      return this;
    }

    public Builder setQueueUrl(String queueUrl) {
      this.queueUrl = queueUrl;
      return this;
    }

    public Builder setStarter(RunStarter starter) {
      this.starter = starter;
      return this;
    }

    /** Only keys starting with this start runs (default: all). */
    public Builder optPrefix(String prefix) {
      this.prefix = prefix == null ? "" : prefix;
      return this;
    }

    /** Only keys ending with this start runs (default {@code .jsonl}). */
    public Builder optSuffix(String suffix) {
      this.suffix = suffix == null ? "" : suffix;
      return this;
    }

    /** Long-poll wait, 0..20 s (default 20). */
    public Builder optWaitSeconds(int seconds) {
      if (seconds < 0 || seconds > 20) throw new IllegalArgumentException("waitSeconds must be 0..20: " + seconds);
      this.waitSeconds = seconds;
      return this;
    }

    public Builder optRetry(AwsRetry retry) {
      this.retry = Objects.requireNonNull(retry, "retry == null");
      return this;
    }

    public SqsManifestWatcher build() {
      if (sqs == null) throw new IllegalArgumentException("sqs == null");
      if (queueUrl == null || queueUrl.isBlank()) throw new IllegalArgumentException("queue URL is empty: set --queue or urae.watch.queue-url");
      if (starter == null) throw new IllegalArgumentException("starter == null");
      return new SqsManifestWatcher(this);
    }
  }
}
