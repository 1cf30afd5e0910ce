package dev.urae.batch.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The {@code urae} command. Each subcommand is a small class of its own; commands that do not
 * need a job repository (validate, model, tensors, adapter, demo) never start Spring.
 */
@Command(
    name = "urae",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Ultra-Resolution Adaptation with Ease, as a batch job system.",
    subcommands = {
      ValidateCommand.class,
      RunCommand.class,
      ResumeCommand.class,
      StatusCommand.class,
      ListCommand.class,
      WorkerCommand.class,
      DoctorCommand.class,
      BenchCommand.class,
      WatchCommand.class,
      CancelCommand.class,
      DatabaseCommand.class,
      ModelCommand.class,
      TensorsCommand.class,
      AdapterCommand.class,
      DemoCommand.class,
      TextCommand.class,
      VaeCommand.class,
      PlanCommand.class,

    })
public final class UraeCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required (see urae --help)");
  }
}
