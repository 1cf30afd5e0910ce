package dev.urae.batch.cli;

import dev.urae.model.plan.PeakProbe;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code urae bench plan}: the memory plan's activation estimate beside measured peaks on CPU. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {"Validate the memory plan: estimated activations beside the measured peak resident memory of small models on CPU",
        "(training with and without activation checkpointing, inference). Run with MALLOC_MMAP_THRESHOLD_=65536."})
public final class BenchPlanCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    PeakProbe.validate(System.out);
    return 0;
  }
}
