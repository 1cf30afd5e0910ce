package dev.urae.batch.cli;

import dev.urae.batch.launch.RunCatalog;
import dev.urae.infra.awsbatch.AwsBatchExecutor;
import dev.urae.infra.exec.TaskExecutor;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code urae cancel RUN_ID}: asks the run to stop (job repository) and, on AWS Batch,
 * terminates its live jobs, each once, wherever the run was started from.
 */
@Command(name = "cancel", mixinStandardHelpOptions = true,
    description = {"Stop a run: mark it stopping and terminate its AWS Batch jobs.",
        "Exit codes: 0 stopped (or nothing was running), 1 no such run."})
public final class CancelCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ApplicationOptions application;

  @Parameters(paramLabel = "RUN_ID", description = "The run to stop (see urae list).")
  String runId;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (ConfigurableApplicationContext context = application.start()) {
      JobExecution last = context.getBean(RunCatalog.class).lastExecution(runId).orElse(null);
      boolean stopping = false;
      if (last != null && last.isRunning()) {
        try {
          stopping = context.getBean(JobOperator.class).stop(last);
        } catch (JobExecutionNotRunningException ended) {
          stopping = false;
        }
      }
      TaskExecutor executor = context.getBean(TaskExecutor.class);
      List<String> terminated = executor instanceof AwsBatchExecutor batch ? batch.terminateRun(runId) : List.of();
      out.println("run " + runId + ": " + (stopping ? "stop requested" : "not running ("
          + (last == null ? "never started" : last.getStatus().toString().toLowerCase()) + ")")
          + (executor instanceof AwsBatchExecutor ? "; " + terminated.size() + " AWS Batch job(s) terminated" : ""));
      out.flush();
      return 0;
    }
  }
}
