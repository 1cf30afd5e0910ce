package dev.urae.batch.ingest;

import java.util.List;

/**
 * What ingest did, written to {@code runs/<runId>/input/summary.json} as its last act.
 *
 * @param shards     the shard names, in order ({@code shard-00000}, ...)
 * @param rejectsKey where every rejected line is listed with its number and reason
 */
public record IngestSummary(
    String manifest,
    String manifestSha256,
    long manifestBytes,
    long lines,
    long accepted,
    long rejected,
    long blank,
    int shardSize,
    List<String> shards,
    String rejectsKey) {

  public IngestSummary {
    shards = shards == null ? List.of() : List.copyOf(shards);
  }
}
