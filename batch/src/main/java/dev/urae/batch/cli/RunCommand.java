package dev.urae.batch.cli;

import dev.urae.batch.aws.StoreDefaults;
import dev.urae.batch.run.LaunchOutcome;
import dev.urae.batch.launch.RunService;
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
      "  urae.width, urae.height  URAE_WIDTH, URAE_HEIGHT  the recipe's side, else 64 (for items without width/height)",
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

  @Option(names = "--render-manifest", paramLabel = "MANIFEST",
      description = "Prompts to render with the base and the adapted model instead of the held-out items"
          + " (tagged split=render); validated like the manifest.")
  String renderManifest;

  @Option(names = "--store", paramLabel = "URI",
      description = "Object store root: a folder or s3://bucket/prefix/ (default: urae.store / $URAE_STORE, else"
          + " s3://<manifest bucket>/urae/ for an s3:// manifest, else the data folder).")
  String store;

  @Option(names = "--rerun", description = "Start a new run even if one already covers this manifest and configuration.")
  boolean rerun;

  @Option(names = "--quick", description = "Smoke-test profile: every stage, small (well under two minutes on the demo).")
  Boolean quick;

  @Option(names = "--model", paramLabel = "PATH|s3://...|demo",
      description = "Base model: demo, or a FLUX.1 checkpoint (diffusers layout, or BFL files beside diffusers text encoders)"
          + " in a local folder or under an s3:// prefix (pipeline option model).")
  String model;

  @Option(names = "--recipe", paramLabel = "NAME",
      description = "A group of defaults: urae-2k or urae-4k (recipe; listed below); every other option still overrides it.")
  String recipe;

  @Option(names = "--from-adapter", paramLabel = "FILE|s3://...|RUN_ID",
      description = "The 2K LoRA urae-4k fuses into the base before training minor components (adapt.from-adapter):"
          + " a file, an s3:// object, or the id of a finished run in this store.")
  String fromAdapter;

  @Option(names = "--teacher", paramLabel = "KIND", description = "Teacher: demo, http or dataset (pipeline option teacher.kind).")
  String teacher;

  @Option(names = "--teacher-error", paramLabel = "DELTA", description = "Demo teacher's error level, 0..1 (teacher.error).")
  String teacherError;

  @Option(names = "--adapter", paramLabel = "KIND", description = "Adapter: lora or minor (adapt.kind).")
  String adapter;

  @Option(names = "--rank", paramLabel = "R", description = "Adapter rank (adapt.rank).")
  String rank;

  @Option(names = "--steps", paramLabel = "N", description = "Training steps (adapt.steps).")
  String steps;

  @Option(names = "--train-guidance", paramLabel = "G", description = "Guidance input while training (adapt.guidance; URAE: 1.0).")
  String trainGuidance;

  @Option(names = "--render-guidance", paramLabel = "G", description = "Guidance at inference (render.guidance; auto = the model's own).")
  String renderGuidance;

  @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Any pipeline option, e.g. --set render.ntk-factor=10 (repeatable).")
  java.util.Map<String, String> options = new java.util.LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    application.set("urae.store", store).set("urae.default-store", StoreDefaults.forManifest(manifest));
    application.set("urae.shard-size", shardSize).set("urae.max-rejects", maxRejects).set("urae.quick", quick);
    pipeline("model", model);
    pipeline("recipe", recipe);
    pipeline("adapt.from-adapter", fromAdapter);
    pipeline("teacher.kind", teacher);
    pipeline("teacher.error", teacherError);
    pipeline("adapt.kind", adapter);
    pipeline("adapt.rank", rank);
    pipeline("adapt.steps", steps);
    pipeline("adapt.guidance", trainGuidance);
    pipeline("render.guidance", renderGuidance);
    options.forEach(this::pipeline);
    try (ConfigurableApplicationContext context = application.start()) {
      LaunchOutcome outcome = context.getBean(RunService.class).launch(manifest, renderManifest, rerun, runId -> {
        out.println("run " + runId);
        out.flush();
      });
      return report(outcome, out, spec.commandLine().getErr());
    }
  }

  private void pipeline(String name, String value) {
    // Brackets keep the dots of option names inside the map key in Spring's binding.
    application.set("urae.pipeline[" + name + "]", value);
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
