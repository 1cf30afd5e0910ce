package dev.urae.batch.job;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.batch.task.TaskSpec;
import java.util.List;

/**
 * A stage defined in test code to exercise the task machinery: one task per shard, handled by
 * {@link WorkHandler}, with a configurable pause per task so that tests can interrupt it.
 */
public final class WorkStage implements PipelineStage {
  public static final String NAME = "work";
  private final long sleepMillis;

  public WorkStage(long sleepMillis) {
    this.sleepMillis = sleepMillis;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int order() {
    return 100;
  }

  @Override
  public List<TaskSpec> plan(RunContext run) {
    ObjectNode params = JsonNodeFactory.instance.objectNode().put("sleep-ms", sleepMillis);
    return run.shards().stream()
        .map(shard -> new TaskSpec(run.runId(), NAME, shard, run.store().root(),
            List.of(run.layout().root() + "input/" + shard + ".jsonl"), params))
        .toList();
  }
}
