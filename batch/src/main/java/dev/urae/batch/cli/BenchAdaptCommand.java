package dev.urae.batch.cli;

import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.train.bench.AdaptBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code urae bench adapt}: adaptation steps per second on the demo configuration. */
@Command(name = "adapt", mixinStandardHelpOptions = true,
    description = "Time adaptation steps of the demo configuration at 64x64 through the real trainer (batch 1, Prodigy).")
public final class BenchAdaptCommand implements Callable<Integer> {
  @Option(names = "--kind", defaultValue = "lora", description = "lora or minor (default ${DEFAULT-VALUE}).")
  String kind;

  @Option(names = "--rank", defaultValue = "16", description = "Adapter rank (default ${DEFAULT-VALUE}).")
  int rank;

  @Option(names = "--steps", defaultValue = "10", description = "Timed steps after one warm-up step (default ${DEFAULT-VALUE}).")
  int steps;

  @Override
  public Integer call() {
    new AdaptBenchmark(AdapterKind.parse(kind), rank, steps).run(System.out);
    return 0;
  }
}
