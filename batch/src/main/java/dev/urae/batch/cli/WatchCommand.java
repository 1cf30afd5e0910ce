package dev.urae.batch.cli;

import dev.urae.batch.aws.ManifestWatch;
import dev.urae.batch.aws.StoreDefaults;
import dev.urae.batch.aws.WatchProperties;
import dev.urae.batch.launch.RunService;
import dev.urae.batch.run.LaunchOutcome;
import java.io.PrintWriter;
import java.time.LocalDateTime;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.support.CronExpression;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code urae watch}: turns manifest uploads into runs (SQS queue of S3 events), or runs one
 * manifest on a cron schedule in this process. Stops cleanly on SIGTERM: polling ends, no
 * message of an unregistered run is deleted, runs in progress stay resumable.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Start a run for every manifest uploaded to S3 (S3 events through an SQS queue),",
        "or run one manifest on a schedule (--schedule CRON --manifest URI)."},
    footerHeading = "%nSettings (application-aws.yml, environment, or --config FILE):%n",
    footer = {
      "  urae.watch.queue-url           URAE_WATCH_QUEUEURL           (or --queue)",
      "  urae.watch.prefix, .suffix     URAE_WATCH_PREFIX, _SUFFIX    '', .jsonl",
      "  urae.watch.wait-seconds        URAE_WATCH_WAITSECONDS        20",
      "  urae.watch.max-concurrent-runs URAE_WATCH_MAXCONCURRENTRUNS  2",
      "  urae.store                     URAE_STORE      s3://<manifest bucket>/urae/",
      "",
      "Exit codes: 0 stopped cleanly, 1 the queue cannot be read or a setting is wrong."
    })
public final class WatchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ApplicationOptions application;

  @Option(names = "--queue", paramLabel = "SQS_URL", description = "SQS queue URL receiving S3 ObjectCreated events.")
  String queue;

  @Option(names = "--prefix", paramLabel = "P", description = "Only keys starting with P (default: all).")
  String prefix;

  @Option(names = "--suffix", paramLabel = "S", description = "Only keys ending with S (default .jsonl).")
  String suffix;

  @Option(names = "--store", paramLabel = "URI",
      description = "Store root for the runs (default: urae.store, else s3://<manifest bucket>/urae/).")
  String store;

  @Option(names = "--schedule", paramLabel = "CRON",
      description = "Run --manifest on this schedule instead of watching a queue, e.g. '0 0 3 * * *' (sec min hour day month weekday) or @daily.")
  String schedule;

  @Option(names = "--manifest", paramLabel = "URI", description = "The manifest a --schedule runs.")
  String manifest;

  @Option(names = "--rerun", description = "With --schedule: a new run at every tick even if the manifest is unchanged.")
  boolean rerun;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (schedule != null) return scheduled(out);
    if (manifest != null) throw new ParameterException(spec.commandLine(), "--manifest goes with --schedule CRON");
    application.set("urae.watch.prefix", prefix).set("urae.watch.suffix", suffix);
    ManifestWatch watch = new ManifestWatch(storeOverride -> {
      String root = store != null ? store : storeOverride;
      if (root != null) application.set("urae.store", root);
      return application.start();
    }, out);
    Thread onSigterm = new Thread(watch::stop, "urae-watch-stop");
    Runtime.getRuntime().addShutdownHook(onSigterm);
    try {
      WatchProperties properties = watch.properties();
      String queueUrl = queue != null ? queue : properties.getQueueUrl();
      if (queueUrl == null || queueUrl.isBlank()) {
        throw new ParameterException(spec.commandLine(), "name the queue: --queue SQS_URL (or urae.watch.queue-url)");
      }
      watch.run(queueUrl, properties.getPrefix(), properties.getSuffix());
      return 0;
    } finally {
      watch.close();
      try {
        Runtime.getRuntime().removeShutdownHook(onSigterm);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: nothing to remove
      }
    }
  }

  /** {@code --schedule CRON --manifest URI}: one run per tick, in this process. */
  private int scheduled(PrintWriter out) throws Exception {
    if (manifest == null) throw new ParameterException(spec.commandLine(), "--schedule needs --manifest URI");
    CronExpression cron;
    try {
      cron = CronExpression.parse(schedule);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--schedule '" + schedule + "': " + e.getMessage()
          + " (six fields: second minute hour day-of-month month day-of-week, or @hourly/@daily/@weekly)");
    }
    String root = store != null ? store : StoreDefaults.forManifest(manifest);
    if (root != null && store == null && System.getenv("URAE_STORE") == null) application.set("urae.store", root);
    else if (store != null) application.set("urae.store", store);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread onSigterm = new Thread(stopped::countDown, "urae-schedule-stop");
    Runtime.getRuntime().addShutdownHook(onSigterm);
    try (ConfigurableApplicationContext context = application.start()) {
      RunService runs = context.getBean(RunService.class);
      while (true) {
        LocalDateTime now = LocalDateTime.now();
        LocalDateTime next = cron.next(now);
        if (next == null) return 0;
        out.println("next run of " + manifest + " at " + next);
        out.flush();
        if (stopped.await(java.time.Duration.between(now, next).toMillis(), TimeUnit.MILLISECONDS)) return 0;
        LaunchOutcome outcome = runs.launch(manifest, rerun, runId -> {
          out.println("run " + runId);
          out.flush();
        });
        out.println(outcome.message());
        out.flush();
      }
    }
  }
}
