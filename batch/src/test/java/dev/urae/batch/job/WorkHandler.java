package dev.urae.batch.job;

import dev.urae.batch.ingest.ManifestItems;
import dev.urae.batch.manifest.ManifestItem;
import dev.urae.batch.run.RunLayout;
import dev.urae.batch.task.PermanentTaskFailure;
import dev.urae.batch.task.TaskContext;
import dev.urae.batch.task.TaskHandler;
import dev.urae.batch.task.TaskSpec;
import dev.urae.infra.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Worker code of {@link WorkStage}: logs each execution (so tests can count them), fails while
 * a control object {@code control/fail-<task>} exists, fails permanently while
 * {@code control/refuse-<task>} exists, pauses, then writes the shard's ids.
 */
public final class WorkHandler implements TaskHandler {

  @Override
  public String stage() {
    return WorkStage.NAME;
  }

  @Override
  public void run(TaskSpec spec, TaskContext context) throws Exception {
    ObjectStore store = context.store();
    store.put(executionLog(spec.runId(), spec.taskId()) + UUID.randomUUID(), new byte[0]);
    if (store.exists(failControl(spec.taskId()))) {
      throw new IllegalStateException("item in " + spec.taskId() + " failed: injected failure");
    }
    if (store.exists(refuseControl(spec.taskId()))) {
      throw new PermanentTaskFailure("every item of " + spec.taskId() + " was refused: injected refusal");
    }
    Thread.sleep(Long.parseLong(spec.param("sleep-ms", "0")));
    List<ManifestItem> items;
    try (InputStream in = store.get(spec.inputs().get(0))) {
      items = ManifestItems.readShard(in);
    }
    String ids = items.stream().map(ManifestItem::id).collect(Collectors.joining("\n"));
    context.put(output(spec.runId(), spec.taskId()), ids.getBytes(StandardCharsets.UTF_8));
  }

  public static String executionLog(String runId, String taskId) {
    return new RunLayout(runId).root() + "work-log/" + taskId + "/";
  }

  public static String output(String runId, String taskId) {
    return new RunLayout(runId).stageOutput(WorkStage.NAME) + taskId + ".txt";
  }

  public static String failControl(String taskId) {
    return "control/fail-" + taskId;
  }

  public static String refuseControl(String taskId) {
    return "control/refuse-" + taskId;
  }

  /** How many times the task has run. */
  public static int executions(ObjectStore store, String runId, String taskId) throws IOException {
    return store.list(executionLog(runId, taskId)).size();
  }
}
