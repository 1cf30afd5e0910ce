package dev.urae.batch.cli;

import dev.urae.model.bench.ModelBenchmark;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code urae bench model}: transformer step times on the JVM beside PyTorch eager. */
@Command(name = "model", mixinStandardHelpOptions = true,
    description = {"Time forward and forward+backward (LoRA training step) of the tiny and demo transformers,",
        "print peak memory, and the same computation in PyTorch eager when python3 can import torch."})
public final class BenchModelCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--case", paramLabel = "PRESET:HxW",
      description = "A preset and latent size, repeatable (default tiny:16x16 tiny:32x32 demo:32x32 demo:64x64).")
  List<String> cases;

  @Option(names = "--seconds", defaultValue = "3", description = "Timing budget per phase and side (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--no-python", description = "Skip the PyTorch eager comparison.")
  boolean noPython;

  @Option(names = "--threads", description = "Intra-op threads on both sides (default: all cores; use 1 on a busy machine).")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    List<ModelBenchmark.Case> selected;
    try {
      selected = cases == null ? ModelBenchmark.DEFAULT_CASES : ModelBenchmark.parseCases(cases);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--case: " + e.getMessage());
    }
    int count = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (count < 1) throw new ParameterException(spec.commandLine(), "--threads must be at least 1");
    new ModelBenchmark(selected, seconds, !noPython, count).run(System.out);
    return 0;
  }
}
