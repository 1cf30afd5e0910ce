package dev.urae.batch.stages;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.batch.job.RunContext;
import dev.urae.batch.task.TaskSpec;
import java.util.List;

/**
 * How the built-in stages plan their tasks: one per shard, or a single one, each carrying the
 * whole run configuration so that a worker needs nothing but its spec.
 */
final class ShardTasks {
  private ShardTasks() {}

  static List<TaskSpec> perShard(RunContext run, String stage) {
    ObjectNode params = params(run);
    return run.shards().stream()
        .map(shard -> new TaskSpec(run.runId(), stage, shard, run.store().root(),
            List.of(run.layout().root() + "input/" + shard + ".jsonl"), params))
        .toList();
  }

  static List<TaskSpec> single(RunContext run, String stage, String taskId) {
    List<String> shards = run.shards().stream().map(s -> run.layout().root() + "input/" + s + ".jsonl").toList();
    return List.of(new TaskSpec(run.runId(), stage, taskId, run.store().root(), shards, params(run)));
  }

  private static ObjectNode params(RunContext run) {
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    run.config().options().forEach(params::put);
    return params;
  }
}
