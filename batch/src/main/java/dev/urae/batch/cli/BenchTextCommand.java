package dev.urae.batch.cli;

import dev.urae.model.text.bench.TextEncoderBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code urae bench text}: CLIP and T5 encoding throughput on the JVM beside transformers. */
@Command(name = "text", mixinStandardHelpOptions = true,
    description = {"Encoding throughput (prompts/s) of the CLIP text model and the T5 encoder on random checkpoints,",
        "beside transformers on the same ids and thread count when python3 can import it (target: JVM time <= 1.2x)."})
public final class BenchTextCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--size", defaultValue = "medium", description = "tiny or medium (default ${DEFAULT-VALUE}).")
  String size;

  @Option(names = "--batch", defaultValue = "4", description = "Prompts per call (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--t5-tokens", defaultValue = "512", description = "T5 tokens per prompt (default ${DEFAULT-VALUE}, FLUX.1-dev's).")
  int t5Tokens;

  @Option(names = "--threads", defaultValue = "1", description = "Intra-op threads on both sides (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--seconds", defaultValue = "5", description = "Timing budget per encoder and side (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--no-python", description = "Skip transformers.")
  boolean noPython;

  @Override
  public Integer call() throws Exception {
    TextEncoderBenchmark.Size selected = TextEncoderBenchmark.SIZES.get(size);
    if (selected == null) throw new ParameterException(spec.commandLine(), "--size must be one of " + TextEncoderBenchmark.SIZES.keySet() + ", got " + size);
    try {
      new TextEncoderBenchmark(selected, batch, t5Tokens, threads, seconds, !noPython).run(System.out);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return 0;
  }
}
