package dev.urae.model.demo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flow.SigmaSampler;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.optim.AdamW;
import dev.urae.model.train.FlowMatchingStep;
import dev.urae.model.train.GradientClipping;
import dev.urae.model.train.Gradients;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pretrains the demo base model from scratch at the low resolution on exact teacher images:
 * every linear layer (through a full-rank delta) and the text encoder, AdamW, flow matching
 * with guidance input 1.0, both caption kinds half the time. Deterministic by seed.
 */
public final class DemoPretrainer {
  private DemoPretrainer() {}

  /** Pretraining settings. */
  public record Settings(int steps, int batchSize, double learningRate, int scenes, long seed) {
    public Settings {
      if (steps < 1) throw new IllegalArgumentException("steps must be positive, was " + steps);
      if (batchSize < 1) throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
      if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be positive, was " + learningRate);
      if (scenes < 1) throw new IllegalArgumentException("scenes must be positive, was " + scenes);
    }

    /** The settings the shipped weights were made with. */
    public static Settings standard() {
      // Sized for two CPU cores shared with other work: about half an hour. Longer runs give a better base.
      return new Settings(600, 4, 2e-3, 400, 7);
    }
  }

  /** The pretrained model and how it was made. */
  public record Result(DemoBaseModel model, List<Double> losses, double minutes, Map<String, String> metadata) {}

  /** Pretrains and writes the two weight files into {@code folder}; returns the result. */
  public static Result pretrainAndSave(Settings settings, java.nio.file.Path folder, NDManager parent, PrintStream progress) throws java.io.IOException {
    Result result = pretrain(settings, parent, progress);
    Map<String, String> metadata = new LinkedHashMap<>(result.metadata());
    metadata.put("minutes", String.format(Locale.ROOT, "%.1f", result.minutes()));
    result.model().save(folder, metadata);
    return result;
  }

  public static Result pretrain(Settings settings, NDManager parent, PrintStream progress) {
    dev.urae.model.nn.Autograd.disableOnThisThread();
    long start = System.nanoTime();
    DemoBaseModel model = DemoBaseModel.initial(settings.seed(), parent);
    NDManager deltas = model.transformer().manager().newSubManager();
    Map<String, FullRankDelta> updates = new LinkedHashMap<>();
    Map<String, NDArray> parameters = new LinkedHashMap<>();
    for (Map.Entry<String, AdaptableLinear> e : model.transformer().linears().entrySet()) {
      FullRankDelta delta = new FullRankDelta(deltas, e.getValue());
      e.getValue().attach(delta);
      updates.put(e.getKey(), delta);
      List<NDArray> p = delta.trainableParameters();
      parameters.put(e.getKey() + ".weight", p.get(0));
      if (p.size() > 1) parameters.put(e.getKey() + ".bias", p.get(1));
    }
    model.textEncoder().setTrainable(true);
    model.textEncoder().parameters().forEach((name, array) -> parameters.put("text." + name, array));

    DemoTrainingSet data = new DemoTrainingSet(PromptGrammar.standard(), DemoTeacher.exact(), DemoWorld.TRAIN_SEED, settings.scenes(), DemoWorld.LOW_RESOLUTION);
    FlowMatchingStep pass = new FlowMatchingStep(model.transformer(), model.textEncoder(), data, settings.batchSize(), 0.5, DemoBaseModel.GUIDANCE, SigmaSampler.uniform(), Integer.MAX_VALUE);
    AdamW optimizer = new AdamW(settings.learningRate(), 0.9, 0.999, 1e-8, 0);
    SeededRandom dataRandom = SeededRandom.seeded(settings.seed() * 2 + 1);
    SeededRandom noiseRandom = SeededRandom.seeded(settings.seed() * 2 + 2);
    List<Double> losses = new java.util.ArrayList<>();
    double window = 0;
    int every = Math.max(1, Math.min(50, settings.steps() / 20));
    for (int step = 1; step <= settings.steps(); step++) {
      try (NDManager scope = model.transformer().manager().newSubManager()) {
        float loss = pass.run(scope, dataRandom, noiseRandom);
        Map<String, NDArray> gradients = Gradients.collect(parameters, scope);
        GradientClipping.clipGlobalNorm(gradients, 1.0);
        optimizer.step(parameters, gradients);
        Gradients.zero(gradients);
        losses.add((double) loss);
        window += loss;
      }
      if (step % every == 0 || step == settings.steps()) {
        progress.printf(Locale.ROOT, "pretrain step %d/%d  loss %.4f  (%.1f min)%n", step, settings.steps(), window / (step % every == 0 ? every : step % every),
            (System.nanoTime() - start) / 6e10);
        window = 0;
      }
    }
    // Fold the learned deltas into the base weights and freeze the encoder again.
    updates.forEach((module, delta) -> delta.fold(model.transformer().linears().get(module)));
    deltas.close();
    model.textEncoder().setTrainable(false);
    double minutes = (System.nanoTime() - start) / 6e10;
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("produced_by", "urae demo pretrain");
    metadata.put("steps", Integer.toString(settings.steps()));
    metadata.put("batch_size", Integer.toString(settings.batchSize()));
    metadata.put("learning_rate", Double.toString(settings.learningRate()));
    metadata.put("scenes", Integer.toString(settings.scenes()));
    metadata.put("seed", Long.toString(settings.seed()));
    metadata.put("resolution", Integer.toString(DemoWorld.LOW_RESOLUTION));
    metadata.put("final_loss_mean_last_100", String.format(Locale.ROOT, "%.5f", losses.subList(Math.max(0, losses.size() - 100), losses.size()).stream().mapToDouble(d -> d).average().orElse(Double.NaN)));
    return new Result(model, losses, minutes, metadata);
  }
}
