package dev.urae.batch.cli;

import ai.djl.engine.Engine;
import dev.urae.batch.task.TaskWorker;
import dev.urae.infra.awsbatch.ArrayTaskList;
import dev.urae.infra.exec.TaskRef;
import dev.urae.infra.exec.VisibleGpus;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code urae worker}: runs one task from its spec and writes its completion marker. This is the
 * container command on AWS Batch; it needs no job repository and no Spring. A child of an array
 * job names the stage's task list and picks its line by {@code AWS_BATCH_JOB_ARRAY_INDEX}.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = {"Run one task from its spec (the container command on AWS Batch).",
        "Without options, reads URAE_TASK_SPEC or URAE_TASK_LIST from the environment."})
public final class WorkerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true)
  Source source;

  static final class Source {
    @Option(names = "--spec", paramLabel = "URI", description = "The task spec: a path, file:// or s3:// URI.")
    String spec;

    @Option(names = "--task-list", paramLabel = "URI",
        description = "A list of spec URIs, one per line; runs line AWS_BATCH_JOB_ARRAY_INDEX (0-based).")
    String taskList;
  }

  @Override
  public Integer call() throws Exception {
    URI specUri;
    if (source == null) specUri = ArrayTaskList.specFromEnvironment(System.getenv());
    else if (source.spec != null) specUri = toUri(source.spec);
    else specUri = ArrayTaskList.pick(toUri(source.taskList), ArrayTaskList.arrayIndex(System.getenv()));
    // One task per process: the GPUs the container runtime (AWS Batch) made visible decide the device.
    String device = VisibleGpus.workerDevice(System.getenv(), () -> Engine.getEngine("PyTorch").getGpuCount());
    TaskWorker.discover().run(new TaskRef("-", "-", "-", specUri), device);
    spec.commandLine().getOut().println("task done: " + specUri);
    return 0;
  }

  private static URI toUri(String text) {
    return text.contains("://") ? URI.create(text) : Path.of(text).toAbsolutePath().toUri();
  }
}
