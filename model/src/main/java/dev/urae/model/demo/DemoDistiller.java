package dev.urae.model.demo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.urae.model.flow.FlowMatching;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flux.Packing;
import dev.urae.model.text.DemoTextEncoder;
import dev.urae.model.train.FlowMatchingStep;
import dev.urae.model.train.TrainingData;
import dev.urae.model.train.TrainingItem;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Guidance distillation, as FLUX.1-dev was made from its teacher: a student that starts as a
 * copy of the teacher learns to predict, in one forward pass with the guidance scale g as an
 * input (the guidance embedder), what classifier-free guidance makes of two teacher passes:
 * {@code v_uncond + g·(v_cond − v_uncond)}, for g drawn uniformly from [{@link #MIN_GUIDANCE},
 * {@link #MAX_GUIDANCE}]. The teacher was pretrained with caption dropout (the empty prompt is
 * its unconditional mode) and the guidance input fixed at 1.0; the text encoder stays frozen.
 */
public final class DemoDistiller {
  public static final double MIN_GUIDANCE = 1;
  public static final double MAX_GUIDANCE = 5;
  /** Warm-up steps of the learning rate: the student starts from the teacher's weights, so few. */
  static final int WARMUP_STEPS = 20;

  private DemoDistiller() {}

  /** Distillation settings. */
  public record Settings(int steps, int batchSize, double learningRate, int scenes, long seed) {
    public Settings {
      if (steps < 1) throw new IllegalArgumentException("steps must be positive, was " + steps);
      if (batchSize < 1) throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
      if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be positive, was " + learningRate);
      if (scenes < 1) throw new IllegalArgumentException("scenes must be positive, was " + scenes);
    }

    /** The settings the shipped student was made with. */
    public static Settings standard() {
      return new Settings(4000, 4, 5e-4, 4000, 11);
    }

    public Settings withSteps(int value) {
      return new Settings(value, batchSize, learningRate, scenes, seed);
    }
  }

  /** The distilled student and how it was made. */
  public record Result(DemoBaseModel student, List<Double> losses, double minutes, Map<String, String> metadata) {}

  /** Distils a student from {@code teacher} (left unchanged) and writes it into {@code folder}. */
  public static Result distillAndSave(DemoBaseModel teacher, Settings settings, Path folder, NDManager parent, PrintStream progress) throws IOException {
    Result result = distill(teacher, settings, parent, progress);
    result.student().save(folder, result.metadata());
    return result;
  }

  public static Result distill(DemoBaseModel teacher, Settings settings, NDManager parent, PrintStream progress) {
    dev.urae.model.nn.Autograd.disableOnThisThread();
    long start = System.nanoTime();
    DemoBaseModel student = teacher.copy(parent);
    TrainingData data = new DemoTrainingSet(PromptGrammar.standard(), DemoTeacher.exact(), DemoWorld.TRAIN_SEED, settings.scenes(), DemoWorld.LOW_RESOLUTION);
    SeededRandom dataRandom = SeededRandom.seeded(settings.seed() * 2 + 1);
    SeededRandom noiseRandom = SeededRandom.seeded(settings.seed() * 2 + 2);
    List<Double> losses = new ArrayList<>();
    try (FullTraining training = new FullTraining(student, false, settings.learningRate(), WARMUP_STEPS, settings.steps(), DemoPretrainer.EMA_DECAY)) {
      DemoPretrainer.ProgressLine line = new DemoPretrainer.ProgressLine("distill", settings.steps(), start, progress);
      for (int step = 1; step <= settings.steps(); step++) {
        try (NDManager scope = student.transformer().manager().newSubManager()) {
          float loss = step(teacher, student, data, settings.batchSize(), dataRandom, noiseRandom, scope);
          training.step(scope);
          losses.add((double) loss);
          line.step(step, loss, training.learningRate());
        }
      }
      training.finish();
    }
    double minutes = (System.nanoTime() - start) / 6e10;
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("distill_steps", Integer.toString(settings.steps()));
    metadata.put("distill_batch_size", Integer.toString(settings.batchSize()));
    metadata.put("distill_learning_rate", Double.toString(settings.learningRate()));
    metadata.put("distill_seed", Long.toString(settings.seed()));
    metadata.put("guidance_range", MIN_GUIDANCE + "-" + MAX_GUIDANCE);
    metadata.put("distill_loss_mean_last_100", String.format(Locale.ROOT, "%.5f", DemoPretrainer.meanOfLast(losses, 100)));
    metadata.put("distill_minutes", String.format(Locale.ROOT, "%.1f", minutes));
    return new Result(student, losses, minutes, metadata);
  }

  /**
   * One distillation step's forward and backward pass in {@code scope}; returns the loss. Items,
   * captions (the short prompt half the time), σ and noise as in pretraining; g ~ U[1, 5] per item.
   */
  static float step(DemoBaseModel teacher, DemoBaseModel student, TrainingData data, int batchSize, SeededRandom dataRandom, SeededRandom noiseRandom, NDManager scope) {
    List<String> prompts = new ArrayList<>();
    NDList images = new NDList();
    for (int b = 0; b < batchSize; b++) {
      TrainingItem item = data.item(dataRandom.nextInt(data.size()));
      prompts.add(dataRandom.nextDouble() < 0.5 ? item.prompt() : item.generatedPrompt());
      images.add(item.latents(scope).expandDims(0));
    }
    NDArray stacked = NDArrays.concat(images, 0);
    int h = Math.toIntExact(stacked.getShape().get(2));
    int w = Math.toIntExact(stacked.getShape().get(3));
    NDArray x0 = Packing.pack(stacked);
    NDArray noise = noiseRandom.gaussian(scope, x0.getShape());
    float[] sigmas = new float[batchSize];
    float[] guidances = new float[batchSize];
    for (int b = 0; b < batchSize; b++) {
      sigmas[b] = (float) DemoPretrainer.SIGMAS.sample(noiseRandom);
      guidances[b] = (float) (MIN_GUIDANCE + (MAX_GUIDANCE - MIN_GUIDANCE) * noiseRandom.nextDouble());
    }
    NDArray sigma = scope.create(sigmas, new Shape(batchSize));
    NDArray g = scope.create(guidances, new Shape(batchSize));
    NDArray xt = FlowMatching.noisy(x0, noise, sigma);
    DemoTextEncoder encoder = teacher.textEncoder();
    NDList text = encoder.encodeBatch(prompts, scope);
    NDArray target = guidedVelocity(teacher, xt, text, sigma, g, h, w, scope);
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray prediction = student.transformer().forward(xt, text.get(0), text.get(1), sigma, g, h, w);
      NDArray loss = FlowMatching.loss(prediction, target);
      collector.backward(loss);
      return loss.getFloat();
    }
  }

  /**
   * The teacher's classifier-free guided velocity {@code v_u + g·(v_c − v_u)} [B, N, C], both
   * passes in one batch with the teacher's guidance input at 1.0, no gradients.
   */
  static NDArray guidedVelocity(DemoBaseModel teacher, NDArray xt, NDList text, NDArray sigma, NDArray g, int h, int w, NDManager scope) {
    int b = Math.toIntExact(xt.getShape().get(0));
    List<String> empty = new ArrayList<>();
    for (int i = 0; i < b; i++) empty.add(FlowMatchingStep.UNCONDITIONAL);
    NDList unconditional = teacher.textEncoder().encodeBatch(empty, scope);
    NDArray both = teacher.transformer().forward(xt.concat(xt, 0), text.get(0).concat(unconditional.get(0), 0), text.get(1).concat(unconditional.get(1), 0),
        sigma.concat(sigma, 0), scope.ones(new Shape(2L * b)), h, w);
    NDList split = both.split(2, 0);
    NDArray conditional = split.get(0);
    NDArray uncond = split.get(1);
    return uncond.add(conditional.sub(uncond).mul(g.reshape(b, 1, 1))).stopGradient();
  }
}
