package dev.urae.batch.cli;

import dev.urae.model.bench.VaeBenchmark;
import dev.urae.model.vae.VaeTiling;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code urae bench vae}: peak memory of a VAE encode and decode, whole beside tiled. */
@Command(name = "vae", mixinStandardHelpOptions = true,
    description = {"Peak memory and time of one VAE encode and decode of a square image, whole beside tiled (random VAE of FLUX's",
        "architecture, fp32, CPU), and how far the tiled result is from the whole one. Run with MALLOC_MMAP_THRESHOLD_=65536."})
public final class BenchVaeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--size", defaultValue = "1024", description = "Image side in pixels, a multiple of 8 (default ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--tile", defaultValue = "256/64", description = "Tiling TILE[/OVERLAP] in pixels, smaller than --size (default ${DEFAULT-VALUE}).")
  String tile;

  @Option(names = "--widths", split = ",", description = "The VAE's block widths, multiples of 32 (default 32,64,128,128; FLUX's: 128,256,512,512).")
  List<Integer> widths;

  @Option(names = "--threads", description = "Intra-op threads (default: all cores).")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    try {
      new VaeBenchmark(size, VaeTiling.parse(tile), widths == null ? VaeBenchmark.DEFAULT_WIDTHS : widths,
          threads == null ? Runtime.getRuntime().availableProcessors() : threads).run(System.out);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return 0;
  }
}
