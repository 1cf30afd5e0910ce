package dev.urae.batch.aws;

import dev.urae.batch.config.UraeProperties;
import dev.urae.batch.launch.RunCatalog;
import dev.urae.batch.launch.RunService;
import dev.urae.batch.run.LaunchOutcome;
import dev.urae.infra.aws.AwsClientFactory;
import dev.urae.infra.trigger.ManifestUpload;
import dev.urae.infra.trigger.SqsManifestWatcher;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * {@code urae watch --queue}: long-polls the queue and starts one run per manifest version,
 * each in the store configured ({@code --store}, {@code urae.store}) or else under
 * {@code s3://<manifest bucket>/urae/}, one application context per store.
 */
public final class ManifestWatch implements AutoCloseable {
  private final Function<String, ConfigurableApplicationContext> contextForStore;
  private final ConfigurableApplicationContext first;
  private final boolean storeConfigured;
  private final Map<String, ConfigurableApplicationContext> byStore = new LinkedHashMap<>();
  private final BackgroundRuns runs;
  private final PrintWriter out;
  private volatile SqsManifestWatcher watcher;

  /**
   * @param contextForStore starts the app with {@code urae.store} set to its argument, or as
   *                        configured when the argument is {@code null}
   */
  public ManifestWatch(Function<String, ConfigurableApplicationContext> contextForStore, PrintWriter out) {
    this.contextForStore = contextForStore;
    this.out = out;
    this.first = contextForStore.apply(null);
    this.storeConfigured = !first.getBean(UraeProperties.class).getStore().isBlank();
    WatchProperties watch = first.getBean(WatchProperties.class);
    this.runs = new BackgroundRuns(watch.getMaxConcurrentRuns(), this::finished);
  }

  /** The watch settings as the application sees them (options already applied). */
  public WatchProperties properties() {
    return first.getBean(WatchProperties.class);
  }

  /** Polls until {@link #stop()}; returns once polling has ended. */
  public void run(String queueUrl, String prefix, String suffix) {
    WatchProperties properties = properties();
    try (SqsAsyncClient sqs = first.getBean(AwsClientFactory.class).sqsAsync()) {
      watcher = SqsManifestWatcher.builder()
          .setSqs(sqs)
          .setQueueUrl(queueUrl)
          .optPrefix(prefix)
          .optSuffix(suffix)
          .optWaitSeconds(properties.getWaitSeconds())
          .optVisibility(java.time.Duration.ofSeconds(properties.getVisibilitySeconds()))
          .optFreeSlots(runs::freeSlots)
          .setStarter(this::start)
          .build();
      out.println("watching " + queueUrl + " for " + (prefix.isEmpty() ? "" : prefix + "…") + "*" + suffix
          + (storeConfigured ? " (store " + first.getBean(UraeProperties.class).getStore() + ")" : " (store s3://<bucket>/urae/)"));
      out.flush();
      watcher.run();
    }
  }

  /** Stops polling (SIGTERM); runs in progress go on until {@link #close()}. */
  public void stop() {
    SqsManifestWatcher w = watcher;
    if (w != null) {
      w.stop();
      try {
        w.awaitStopped(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private String start(ManifestUpload upload) throws Exception {
    ConfigurableApplicationContext context = contextFor(upload);
    String runId = runs.start(context.getBean(RunService.class), context.getBean(RunCatalog.class), upload);
    out.println("run " + runId + " " + upload);
    out.flush();
    return runId;
  }

  private synchronized ConfigurableApplicationContext contextFor(ManifestUpload upload) {
    if (storeConfigured) return first;
    String store = StoreDefaults.forManifest(upload.location());
    return byStore.computeIfAbsent(store, contextForStore);
  }

  private void finished(LaunchOutcome outcome) {
    out.println(outcome.message());
    out.flush();
  }

  /** Waits for the runs in progress, then closes every application context. */
  @Override
  public void close() throws InterruptedException {
    try {
      runs.close();
    } finally {
      byStore.values().forEach(ConfigurableApplicationContext::close);
      first.close();
    }
  }
}
