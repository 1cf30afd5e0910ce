package dev.urae.infra.trigger;

import dev.urae.infra.aws.AwsErrors;
import dev.urae.infra.aws.AwsRetry;
import dev.urae.infra.store.NoSuchObjectException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
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
 * <p>It receives only as many messages as the starter has free slots (none while every slot is
 * busy), so a valid upload is never received just to be turned away: a message's receive count
 * grows only when its run could not be registered. While a message is being registered its
 * visibility is extended every third of {@code visibility}; messages received but not handled
 * (the watcher is stopping) and poison messages are made visible again at once.
 *
 * <p>A message is deleted only after every manifest it names has a registered run (the
 * {@link RunStarter} returned). Test events and uploads outside the prefix/suffix are deleted
 * as handled. Poison messages (unreadable, or naming a manifest that is gone) are logged and
 * released at once: the queue redelivers them until its redrive policy moves them to the
 * dead-letter queue. A failure to register leaves the message for redelivery when its
 * visibility ends. Uploads already
 * registered by this watcher are not handed over again (a duplicate notification); across
 * watchers and restarts the app's run identity keeps them to one run.
 *
 * <p>{@link #run()} loops until {@link #stop()}; stopping cancels a long poll in flight (the
 * asynchronous client can abort it), but never a run being registered.
 */
public final class SqsManifestWatcher implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(SqsManifestWatcher.class);
  private static final int REMEMBERED = 10_000;
  /** SQS returns at most ten messages per ReceiveMessage. */
  private static final int MAX_BATCH = 10;
  private static final Duration SLOT_CHECK = Duration.ofMillis(250);

  private final SqsAsyncClient sqs;
  private final String queueUrl;
  private final String prefix;
  private final String suffix;
  private final int waitSeconds;
  private final RunStarter starter;
  private final IntSupplier freeSlots;
  private final Duration visibility;
  private final AwsRetry retry;
  private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "urae-watch-visibility");
    t.setDaemon(true);
    return t;
  });
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
    this.freeSlots = b.freeSlots;
    this.visibility = b.visibility;
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
        int free = Math.min(MAX_BATCH, freeSlots.getAsInt());
        if (free <= 0) {
          // Every slot is busy: leave the messages in the queue, where they do not age.
          sleep(SLOT_CHECK);
          continue;
        }
        ReceiveMessageResponse response = receive(free);
        if (response == null) break;
        List<Message> messages = response.messages();
        for (int i = 0; i < messages.size(); i++) {
          if (stopping) {
            messages.subList(i, messages.size()).forEach(this::release);
            break;
          }
          Message message = messages.get(i);
          switch (handleWhileHoldingVisibility(message)) {
            case HANDLED -> delete(message);
            // Its path to the dead-letter queue need not wait for the visibility timeout.
            case POISON -> release(message);
            case FAILED -> { } // comes back when its visibility ends
          }
        }
      }
    } finally {
      heartbeat.shutdownNow();
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

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ReceiveMessageResponse receive(int maxMessages) {
    try {
      return retry.call("ReceiveMessage " + queueUrl, () -> {
        CompletableFuture<ReceiveMessageResponse> call;
        synchronized (receiveLock) {
          if (stopping) throw new CancellationException("stopping");
          call = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
              .maxNumberOfMessages(maxMessages).waitTimeSeconds(waitSeconds)
              .visibilityTimeout((int) visibility.toSeconds())
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

  /** What became of a received message. */
  private enum Outcome { HANDLED, POISON, FAILED }

  /** {@link #handle}, extending the message's visibility until it returns. */
  private Outcome handleWhileHoldingVisibility(Message message) {
    long period = Math.max(1, visibility.toSeconds() / 3);
    ScheduledFuture<?> extension = heartbeat.scheduleAtFixedRate(
        () -> changeVisibility(message, (int) visibility.toSeconds()), period, period, TimeUnit.SECONDS);
    try {
      return handle(message);
    } finally {
      extension.cancel(false);
    }
  }

  /** Makes a message visible again at once (not handled, or poison). */
  private void release(Message message) {
    changeVisibility(message, 0);
  }

  private void changeVisibility(Message message, int seconds) {
    try {
      sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()).visibilityTimeout(seconds))
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      // Not fatal: the message becomes visible when its current timeout ends.
      LOG.warn("could not set the visibility of message {} to {} s: {}", message.messageId(), seconds, AwsErrors.describe(e));
    }
  }

  /** HANDLED when every manifest it names has a registered run and it may be deleted. */
  private Outcome handle(Message message) {
    S3Event event;
    try {
      event = S3EventParser.parse(message.body());
    } catch (UnreadableEventException e) {
      LOG.warn("poison message {} (received {} times), left for the dead-letter queue: {}", message.messageId(),
          message.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "?"), e.getMessage());
      return Outcome.POISON;
    }
    if (event.testEvent()) {
      LOG.info("skipped S3 test event {}", message.messageId());
      return Outcome.HANDLED;
    }
    Outcome outcome = Outcome.HANDLED;
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
        if (outcome == Outcome.HANDLED) outcome = Outcome.POISON;
      } catch (Exception e) {
        if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        LOG.warn("could not register a run for {}: {}; the message will be redelivered", upload, e.getMessage());
        outcome = Outcome.FAILED;
      }
    }
    return outcome;
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
    private IntSupplier freeSlots = () -> MAX_BATCH;
    private Duration visibility = Duration.ofSeconds(60);
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

    /** How many more runs the starter can take now; the watcher receives no more messages than that (default 10). */
    public Builder optFreeSlots(IntSupplier freeSlots) {
      this.freeSlots = Objects.requireNonNull(freeSlots, "freeSlots == null");
      return this;
    }

    /** Visibility timeout of received messages, extended while one is registered (default 60 s, at least 3 s). */
    public Builder optVisibility(Duration visibility) {
      if (visibility == null || visibility.toSeconds() < 3 || visibility.toSeconds() > 43_200) {
        throw new IllegalArgumentException("visibility must be 3 s to 12 h: " + visibility);
      }
      this.visibility = visibility;
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
