package dev.urae.batch.cli;

import dev.urae.batch.run.LaunchOutcome;
import dev.urae.batch.launch.RunService;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code urae resume RUN_ID}: restarts a failed or interrupted run where it stopped. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description = {
      "Continue a failed or interrupted run (also after kill -9) at the stage that did not finish;",
      "tasks that already left a valid completion marker are not run again."
    })
public final class ResumeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ApplicationOptions application;

  @Parameters(paramLabel = "RUN_ID", description = "The run to continue (see urae list).")
  String runId;

  @Override
  public Integer call() throws Exception {
    try (ConfigurableApplicationContext context = application.start()) {
      LaunchOutcome outcome = context.getBean(RunService.class).resume(runId, id -> {
        spec.commandLine().getOut().println("run " + id);
        spec.commandLine().getOut().flush();
      });
      return RunCommand.report(outcome, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
  }
}
