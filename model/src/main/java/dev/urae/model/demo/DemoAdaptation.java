package dev.urae.model.demo;

import dev.urae.model.adapter.Adapter;
import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.adapter.AdapterSpec;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.svd.DecompositionCache;
import dev.urae.model.svd.MinorComponentDecomposer;
import dev.urae.model.train.AdapterTrainer;
import dev.urae.model.train.CheckpointStore;
import dev.urae.model.train.OptimizerKind;
import dev.urae.model.train.TrainingConfig;
import dev.urae.model.train.TrainingData;
import dev.urae.model.train.TrainingResult;
import dev.urae.model.train.TrainingStop;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Adapts the demo base model to {@link DemoWorld#HIGH_RESOLUTION}, URAE-style: an adapter on
 * the attention projections, trained on teacher images at the high resolution with the
 * guidance input at 1.0, real_prompt_ratio 0.2 and gradient clipping 1.0.
 */
public final class DemoAdaptation {
  private DemoAdaptation() {}

  /** Settings of a demo adaptation run. */
  public record Settings(AdapterKind kind, int rank, TrainingConfig training, int scenes, double teacherError) {
    public Settings {
      if (rank < 1) throw new IllegalArgumentException("rank must be positive, was " + rank);
      if (scenes < 1) throw new IllegalArgumentException("scenes must be positive, was " + scenes);
    }

    /**
     * The standard run the report's figures come from: LoRA rank 16 (URAE's 2K stage), 60 steps
     * on 200 exact teacher images, sized for two shared CPU cores. It uses AdamW (lr 1e-3):
     * Prodigy's safeguard warm-up grows d from 1e-6 over hundreds of steps (its step size was
     * still 6e-6 after 60 demo steps), which suits URAE's 2,000-step runs, not a demo of minutes.
     */
    public static Settings standard() {
      return new Settings(AdapterKind.LORA, 16, TrainingConfig.builder().setSteps(60).optOptimizer(OptimizerKind.ADAMW)
          .optLearningRate(1e-3).optCheckpointEvery(20).optSeed(3).build(), 200, 0.0);
    }

    public Settings withSteps(int steps) {
      return new Settings(kind, rank, training.toBuilder().setSteps(steps).build(), scenes, teacherError);
    }
  }

  /** The teacher's training set of a run. */
  public static TrainingData data(Settings settings) {
    return new DemoTrainingSet(PromptGrammar.standard(), new DemoTeacher(settings.teacherError()), DemoWorld.ADAPT_SEED, settings.scenes(), DemoWorld.HIGH_RESOLUTION);
  }

  /** Attaches a fresh adapter of the settings' kind to the base model. */
  public static Adapter attach(DemoBaseModel base, Settings settings, DecompositionCache cache) {
    AdapterSpec spec = AdapterSpec.urae(settings.kind(), settings.rank());
    return settings.kind() == AdapterKind.LORA
        ? Adapter.initLora(base.transformer().linears(), spec, SeededRandom.seeded(settings.training().seed()))
        : Adapter.initMinor(base.transformer().linears(), spec, new MinorComponentDecomposer(cache));
  }

  /** Trains {@code adapter} (attached to {@code base}) on the teacher set; resumes from {@code store}. */
  public static TrainingResult train(DemoBaseModel base, Adapter adapter, Settings settings, CheckpointStore store, TrainingStop stop, PrintStream progress) {
    int every = Math.max(1, settings.training().steps() / 10);
    return new AdapterTrainer(settings.training())
        .onStep(step -> {
          if (step % every == 0) progress.printf(Locale.ROOT, "adapt step %d/%d%n", step, settings.training().steps());
        })
        .train(base.transformer(), adapter, base.textEncoder(), data(settings), store, stop);
  }
}
