package dev.urae.batch.cli;

import dev.urae.batch.progress.StageProgress;
import dev.urae.batch.launch.RunCatalog;
import dev.urae.batch.run.RunSummary;
import java.io.PrintWriter;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code urae list}: every run, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List runs, newest first.")
public final class ListCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  @Spec CommandSpec spec;

  @Mixin ApplicationOptions application;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (ConfigurableApplicationContext context = application.start()) {
      List<RunSummary> runs = context.getBean(RunCatalog.class).list();
      if (runs.isEmpty()) {
        out.println("no runs yet (start one with urae run MANIFEST)");
      } else {
        out.printf("%-16s  %-11s  %-19s  %8s  %s%n", "RUN", "STATUS", "STARTED", "TIME", "MANIFEST");
        for (RunSummary run : runs) {
          out.printf("%-16s  %-11s  %-19s  %8s  %s%n", run.runId(), run.status(),
              run.started() == null ? "-" : TIME.format(run.started()),
              run.elapsed() == null ? "-" : StageProgress.format(run.elapsed()), run.manifest());
        }
      }
      out.flush();
      return 0;
    }
  }
}
