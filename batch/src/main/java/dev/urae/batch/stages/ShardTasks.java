package dev.urae.batch.stages;

import dev.urae.batch.job.RunContext;
import dev.urae.batch.task.TaskSpec;
import java.util.List;
import java.util.Map;

/**
 * How the built-in stages plan their tasks: one per shard, or a single one, each carrying the
 * whole run configuration so that a worker needs nothing but its spec.
 */
public final class ShardTasks {
  private ShardTasks() {}

  public static List<TaskSpec> perShard(RunContext run, String stage) {
    Map<String, String> params = params(run);
    return run.shards().stream()
        .map(shard -> new TaskSpec(run.runId(), stage, shard, run.store().root(),
            List.of(run.layout().shardKey(shard)), params))
        .toList();
  }

  public static List<TaskSpec> single(RunContext run, String stage, String taskId) {
    return List.of(single(run, stage, taskId, run.shards().stream().map(run.layout()::shardKey).toList()));
  }

  public static TaskSpec single(RunContext run, String stage, String taskId, List<String> inputs) {
    return new TaskSpec(run.runId(), stage, taskId, run.store().root(), inputs, params(run));
  }

  private static Map<String, String> params(RunContext run) {
    return run.config().options();
  }
}
