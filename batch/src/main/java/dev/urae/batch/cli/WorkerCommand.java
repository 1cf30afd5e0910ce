package dev.urae.batch.cli;

import dev.urae.batch.task.TaskWorker;
import dev.urae.infra.exec.TaskRef;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code urae worker --spec URI}: runs one task from its spec and writes its completion marker.
 * This is the container command on AWS Batch; it needs no job repository and no Spring.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Run one task from its spec (the container command on AWS Batch).")
public final class WorkerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--spec", required = true, paramLabel = "URI", description = "The task spec: file or s3:// URI.")
  String specUri;

  @Override
  public Integer call() throws Exception {
    URI uri = specUri.contains("://") ? URI.create(specUri) : java.nio.file.Path.of(specUri).toAbsolutePath().toUri();
    TaskRef task = new TaskRef("-", "-", "-", uri);
    TaskWorker.discover().run(task);
    spec.commandLine().getOut().println("task done: " + specUri);
    return 0;
  }
}
