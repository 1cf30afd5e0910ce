package dev.urae.batch.cli;

import dev.urae.batch.ingest.bench.ManifestBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code urae bench manifest}: validation and ingest throughput and peak heap. */
@Command(name = "manifest", mixinStandardHelpOptions = true,
    description = {"Validate and ingest a generated manifest; print lines/s and peak heap beside split -l.",
        "Run with a small heap to check flat memory: URAE_JAVA_OPTS=-Xmx256m ./urae bench manifest"})
public final class BenchManifestCommand implements Callable<Integer> {
  @Option(names = "--lines", defaultValue = "1000000", description = "Manifest lines (default ${DEFAULT-VALUE}).")
  long lines;

  @Option(names = "--shard-size", defaultValue = "64", description = "Items per shard (default ${DEFAULT-VALUE}).")
  int shardSize;

  @Override
  public Integer call() throws Exception {
    ManifestBenchmark.run(lines, shardSize, System.out);
    return 0;
  }
}
