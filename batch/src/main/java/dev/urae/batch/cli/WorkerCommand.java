package dev.urae.batch.cli;

import dev.urae.batch.task.TaskWorker;
import dev.urae.infra.exec.TaskRef;
import dev.urae.infra.store.ObjectLocation;
import dev.urae.infra.store.ObjectStore;
import dev.urae.infra.store.ObjectStores;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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
    String specText = source != null ? source.spec : System.getenv("URAE_TASK_SPEC");
    String listText = source != null ? source.taskList : System.getenv("URAE_TASK_LIST");
    URI specUri;
    if (specText != null && !specText.isBlank()) {
      specUri = toUri(specText);
    } else if (listText != null && !listText.isBlank()) {
      specUri = fromList(listText, arrayIndex());
    } else {
      throw new IllegalArgumentException("name a task: --spec URI or --task-list URI (or URAE_TASK_SPEC / URAE_TASK_LIST)");
    }
    TaskWorker.discover().run(new TaskRef("-", "-", "-", specUri));
    spec.commandLine().getOut().println("task done: " + specUri);
    return 0;
  }

  private static int arrayIndex() {
    String index = System.getenv("AWS_BATCH_JOB_ARRAY_INDEX");
    if (index == null || index.isBlank()) return 0;
    try {
      return Integer.parseInt(index.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("AWS_BATCH_JOB_ARRAY_INDEX is not a number: " + index);
    }
  }

  private static URI fromList(String listText, int index) throws Exception {
    ObjectLocation list = ObjectLocation.parse(listText);
    List<String> lines;
    try (ObjectStore store = ObjectStores.open(list.storeRoot()); InputStream in = store.get(list.key())) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
    if (index < 0 || index >= lines.size()) {
      throw new IllegalArgumentException("array index " + index + " is outside the task list " + listText
          + " (" + lines.size() + " tasks)");
    }
    return toUri(lines.get(index).strip());
  }

  private static URI toUri(String text) {
    return text.contains("://") ? URI.create(text) : Path.of(text).toAbsolutePath().toUri();
  }
}
