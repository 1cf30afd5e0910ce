package dev.urae.batch.cli;

import dev.urae.batch.progress.StageProgress;
import dev.urae.batch.launch.RunCatalog;
import dev.urae.batch.run.RunStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code urae status [RUN_ID]}: a run's stages with task counts, timings and failures. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show a run's stages: status, tasks done / failed / pending, timings, failure reasons, tasks waiting for compute and why.")
public final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ApplicationOptions application;

  @Parameters(paramLabel = "RUN_ID", arity = "0..1", description = "The run (default: the newest).")
  String runId;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (ConfigurableApplicationContext context = application.start()) {
      RunCatalog catalog = context.getBean(RunCatalog.class);
      String id = runId != null ? runId : catalog.latestRunId().orElseThrow(
          () -> new IllegalArgumentException("no runs yet (start one with urae run MANIFEST)"));
      RunStatus status = catalog.status(id);
      out.printf("run %s  %s  %s%n", id, status.run().status(), status.run().manifest());
      out.printf("started %s, %s, %d execution%s%n", status.run().started(),
          status.run().elapsed() == null ? "-" : StageProgress.format(status.run().elapsed()),
          status.executions(), status.executions() == 1 ? "" : "s");
      out.printf("%n%-10s %-10s %6s %6s %7s %9s%n", "STAGE", "STATUS", "DONE", "FAILED", "PENDING", "TIME");
      for (RunStatus.Stage stage : status.stages()) {
        out.printf("%-10s %-10s %6d %6d %7d %9s%n", stage.name(), stage.status(), stage.done(), stage.failed(),
            stage.pending(), stage.elapsed() == null ? "-" : StageProgress.format(stage.elapsed()));
      }
      for (RunStatus.Stage stage : status.stages()) {
        if (stage.waiting() != null) out.printf("%n%s: %s%n", stage.name(), stage.waiting().describe());
        if (!stage.failure().isEmpty()) out.printf("%n%s failed: %s%n", stage.name(), stage.failure());
      }
      out.flush();
      return 0;
    }
  }
}
