package dev.urae.batch.cli;

import dev.urae.batch.run.LaunchOutcome;
import dev.urae.batch.run.RunService;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code urae run MANIFEST}: runs the {@code urae} job on a manifest. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the URAE pipeline on a prompt manifest: ingest, then every stage.",
      "Prints the run id first, progress while it works, and where the results are."
    },
    footerHeading = "%nSettings (application.yml, environment, or --config FILE):%n",
    footer = {
      "  urae.data-dir            URAE_DATA_DIR            ./urae-data",
      "  urae.store               URAE_STORE               the data folder (or s3://bucket/prefix/)",
      "  urae.executor            URAE_EXECUTOR            local",
      "  urae.parallelism         URAE_PARALLELISM         0 (one task per core)",
      "  urae.task-retries        URAE_TASK_RETRIES        2",
      "  urae.shard-size          URAE_SHARD_SIZE          64",
      "  urae.max-rejects         URAE_MAX_REJECTS         0",
      "  urae.width, urae.height  URAE_WIDTH, URAE_HEIGHT  64 (for items without width/height)",
      "  spring.datasource.url    SPRING_DATASOURCE_URL    H2 file under the data folder",
      "",
      "Exit codes: 0 completed (or already covered by a completed run), 1 failed."
    })
public final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ApplicationOptions application;

  @Parameters(paramLabel = "MANIFEST", description = "A JSON Lines (or .txt) manifest: a local path or an s3:// URI.")
  String manifest;

  @Option(names = "--shard-size", paramLabel = "N", description = "Accepted items per shard (default 64).")
  Integer shardSize;

  @Option(names = "--max-rejects", paramLabel = "N",
      description = "Rejected lines tolerated before the run stops at ingest (default 0).")
  Long maxRejects;

  @Option(names = "--rerun", description = "Start a new run even if one already covers this manifest and configuration.")
  boolean rerun;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    application.set("urae.shard-size", shardSize).set("urae.max-rejects", maxRejects);
    try (ConfigurableApplicationContext context = application.start()) {
      LaunchOutcome outcome = context.getBean(RunService.class).launch(manifest, rerun, runId -> {
        out.println("run " + runId);
        out.flush();
      });
      return report(outcome, out, spec.commandLine().getErr());
    }
  }

  static int report(LaunchOutcome outcome, PrintWriter out, PrintWriter err) {
    if (outcome.succeeded() || (!outcome.started() && outcome.status().isRunning())) {
      out.println(outcome.message());
      out.flush();
      return 0;
    }
    err.println(outcome.message());
    err.flush();
    return 1;
  }
}
