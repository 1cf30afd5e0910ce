package dev.urae.batch.cli;

import dev.urae.model.bench.MinorSetUpBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code urae bench minor}: peak heap and resident memory of minor-component set-up. */
@Command(name = "minor", mixinStandardHelpOptions = true,
    description = {"Peak Java heap and resident memory of minor-component set-up (URAE's targets, no cache) on a random model of",
        "FLUX's block shapes (128-wide heads). Run with MALLOC_MMAP_THRESHOLD_=65536."})
public final class BenchMinorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--heads", defaultValue = "8", description = "Attention heads of 128 (FLUX.1: 24; default ${DEFAULT-VALUE}: hidden 1024).")
  int heads;

  @Option(names = "--double", defaultValue = "1", description = "Double-stream blocks (default ${DEFAULT-VALUE}).")
  int doubleBlocks;

  @Option(names = "--single", defaultValue = "1", description = "Single-stream blocks (default ${DEFAULT-VALUE}).")
  int singleBlocks;

  @Option(names = "--rank", defaultValue = "16", description = "Minor components per layer (default ${DEFAULT-VALUE}).")
  int rank;

  @Option(names = "--threads", description = "Intra-op threads (default: all cores).")
  Integer threads;

  @Override
  public Integer call() {
    try {
      new MinorSetUpBenchmark(heads, doubleBlocks, singleBlocks, rank, threads == null ? Runtime.getRuntime().availableProcessors() : threads).run(System.out);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return 0;
  }
}
