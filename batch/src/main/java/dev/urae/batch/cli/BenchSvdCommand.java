package dev.urae.batch.cli;

import dev.urae.model.svd.bench.SvdBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code urae bench svd}: LAPACK sgesdd through OpenBLAS beside torch.linalg.svd. */
@Command(name = "svd", mixinStandardHelpOptions = true,
    description = "Time a float32 SVD (default 3072x3072) through OpenBLAS sgesdd, beside torch.linalg.svd when python3 can import torch.")
public final class BenchSvdCommand implements Callable<Integer> {
  @Option(names = "--size", defaultValue = "3072", description = "Matrix side (default ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--repeats", defaultValue = "3", description = "Timed repeats per side; the median is reported (default ${DEFAULT-VALUE}).")
  int repeats;

  @Override
  public Integer call() {
    new SvdBenchmark(size, repeats).run(System.out);
    return 0;
  }
}
