package dev.urae.batch.cli;

import dev.urae.model.bench.AttentionBenchmark;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code urae bench attention}: fused (float32, bf16) beside explicit attention in one FLUX-width block. */
@Command(name = "attention", mixinStandardHelpOptions = true,
    description = {"Peak memory and time of forward+backward of one FLUX-width single-stream block (hidden 3072, 24 heads)",
        "at 1k, 4k and 16k image tokens on CPU, fused attention (float32 and bf16) beside explicit (explicit skipped where it cannot fit)."})
public final class BenchAttentionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--latent", paramLabel = "SIDE", split = ",",
      description = "Square latent sides, comma-separated (default 64,128,256 = 1k, 4k, 16k image tokens).")
  List<Integer> sides;

  @Option(names = "--threads", description = "Intra-op threads (default: all cores).")
  Integer threads;

  @Override
  public Integer call() {
    int count = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    try {
      new AttentionBenchmark(sides == null ? AttentionBenchmark.DEFAULT_LATENT_SIDES : sides, count).run(System.out);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return 0;
  }
}
