package dev.urae.model.train.bench;

import ai.djl.ndarray.NDManager;
import dev.urae.model.adapter.Adapter;
import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.demo.DemoAdaptation;
import dev.urae.model.demo.DemoBaseModel;
import dev.urae.model.svd.InMemoryDecompositionCache;
import dev.urae.model.train.CheckpointStore;
import dev.urae.model.train.OptimizerKind;
import dev.urae.model.train.TrainingStop;
import dev.urae.model.train.TrainingConfig;
import dev.urae.model.train.TrainingResult;
import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code urae bench adapt}: adaptation steps per second on the demo configuration at the demo's
 * high resolution, through the real trainer (data, text encoding, forward, backward, clipping,
 * Prodigy). Weights are freshly initialised: speed does not depend on their values.
 */
public final class AdaptBenchmark {
  private final AdapterKind kind;
  private final int rank;
  private final int steps;

  public AdaptBenchmark(AdapterKind kind, int rank, int steps) {
    if (rank < 1) throw new IllegalArgumentException("rank must be positive, was " + rank);
    if (steps < 2) throw new IllegalArgumentException("steps must be at least 2, was " + steps);
    this.kind = kind;
    this.rank = rank;
    this.steps = steps;
  }

  /** Runs one warm-up step and then {@code steps} timed ones; returns steps per second. */
  public double run(PrintStream out) {
    try (NDManager manager = NDManager.newBaseManager(); DemoBaseModel base = DemoBaseModel.initial(7, manager)) {
      InMemoryDecompositionCache cache = new InMemoryDecompositionCache();
      DemoAdaptation.Settings settings = new DemoAdaptation.Settings(kind, rank,
          TrainingConfig.builder().setSteps(1).optOptimizer(OptimizerKind.PRODIGY).optCheckpointEvery(1_000_000).optSeed(1).build(), 16, 0);
      long attachStart = System.nanoTime();
      try (Adapter adapter = DemoAdaptation.attach(base, settings, cache)) {
        double attachMs = (System.nanoTime() - attachStart) / 1e6;
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        DemoAdaptation.train(base, adapter, settings, CheckpointStore.none(), new TrainingStop(), quiet); // warm-up
        TrainingResult timed = DemoAdaptation.train(base, adapter, settings.withSteps(steps), CheckpointStore.none(), new TrainingStop(), quiet);
        out.printf(Locale.ROOT, "adapt demo %dx%d, %s rank %d (%d layers, %,d trainable), batch 1, Prodigy, %d core(s)%n",
            dev.urae.model.demo.DemoWorld.HIGH_RESOLUTION, dev.urae.model.demo.DemoWorld.HIGH_RESOLUTION, kind.label(), rank, adapter.size(),
            adapter.parameterCount(), Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "  adapter initialisation %.0f ms%n", attachMs);
        out.printf(Locale.ROOT, "  %d steps in %.1f s: %.3f steps/s (%.0f ms/step)%n", steps, timed.seconds(), timed.stepsPerSecond(), 1000 / timed.stepsPerSecond());
        return timed.stepsPerSecond();
      }
    }
  }
}
