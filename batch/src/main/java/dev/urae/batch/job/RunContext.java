package dev.urae.batch.job;

import dev.urae.batch.run.RunConfig;
import dev.urae.batch.run.RunLayout;
import dev.urae.infra.store.ObjectStore;
import java.util.List;

/**
 * What a stage knows about the run it plans tasks for.
 *
 * @param shards the shard names ingest wrote ({@code shard-00000}, ...), in order
 */
public record RunContext(
    String runId, RunLayout layout, ObjectStore store, RunConfig config, List<String> shards, long items) {

  public RunContext {
    shards = List.copyOf(shards);
  }
}
