package dev.urae.batch.job;

import dev.urae.batch.run.RunConfig;
import dev.urae.batch.run.RunLayout;
import dev.urae.batch.run.RunStatus;
import dev.urae.infra.store.ObjectStore;
import java.util.List;

/**
 * What a stage knows about the run it plans tasks for.
 *
 * @param shards the shard names ingest wrote ({@code shard-00000}, ...), in order
 * @param stages every stage of the run as {@code urae status} shows it when this stage starts
 *     (the report stage reports the earlier ones' timings and counts)
 */
public record RunContext(
    String runId, RunLayout layout, ObjectStore store, RunConfig config, List<String> shards, long items,
    List<RunStatus.Stage> stages) {

  public RunContext {
    shards = List.copyOf(shards);
    stages = List.copyOf(stages);
  }
}
