package dev.urae.batch.cli;

import dev.urae.model.checkpoint.DeviceOption;
import dev.urae.model.checkpoint.bench.LoadBenchmark;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code urae bench load}: checkpoint loading throughput beside {@code cat}, and the Java heap while loading. */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = {"Load every tensor of a checkpoint onto a device in its stored dtype and print the throughput beside",
        "cat FILE > /dev/null on the same files, and the Java heap before and at its peak while loading.",
        "Make a multi-GB checkpoint with: urae model init --config FILE --out DIR"})
public final class BenchLoadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, description = "The checkpoint (diffusers folder, component folder or .safetensors file).")
  Path model;

  @Option(names = "--device", description = "cpu, cuda or cuda:N (default: the first GPU, else cpu).")
  String device;

  @Option(names = "--threads", description = "PyTorch intra-op threads (default: all cores; use 1 on a busy machine).")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    ai.djl.Device target;
    try {
      target = DeviceOption.parse(device);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--device: " + e.getMessage());
    }
    int count = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (count < 1) throw new ParameterException(spec.commandLine(), "--threads must be at least 1");
    new LoadBenchmark(model, target, count).run(System.out);
    return 0;
  }
}
