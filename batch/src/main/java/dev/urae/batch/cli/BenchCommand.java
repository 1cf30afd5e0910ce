package dev.urae.batch.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code urae bench NAME}: benchmarks that print their figures. Each benchmark lives beside the
 * code it measures; this command only gives them one front door.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run a benchmark and print its figures.",
    subcommands = {
      BenchModelCommand.class,
      BenchAttentionCommand.class,
      BenchPlanCommand.class,
      BenchManifestCommand.class,
      BenchOrchestrationCommand.class,
      BenchSvdCommand.class,
      BenchAdaptCommand.class,
      BenchLoadCommand.class,
      BenchTextCommand.class,
      BenchVaeCommand.class,
      BenchMinorCommand.class,
    })
public final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a benchmark (see urae bench --help)");
  }
}
