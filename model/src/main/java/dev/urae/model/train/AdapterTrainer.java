package dev.urae.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.urae.model.adapter.Adapter;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.optim.AdapterOptimizer;
import dev.urae.model.text.TextEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Trains an {@link Adapter}'s parameters by flow matching while the base model stays frozen.
 * If the store holds a checkpoint, the run continues from it: adapter values, optimizer
 * state, step, generator states and histories are restored, so N steps in one go and N/2 +
 * resume give the same adapter. A {@link TrainingStop} request ends the run after the current
 * step with a checkpoint.
 */
public final class AdapterTrainer {
  private final TrainingConfig config;
  private LongConsumer onStep = step -> {};

  public AdapterTrainer(TrainingConfig config) {
    this.config = config;
  }

  /** A callback after every step (progress lines, tests). */
  public AdapterTrainer onStep(LongConsumer callback) {
    this.onStep = callback;
    return this;
  }

  /**
   * Runs until {@code config.steps()} or a stop request.
   *
   * @param encoder encodes captions of items without cached features; may be null when all
   *     items carry features
   */
  public TrainingResult train(FluxTransformer model, Adapter adapter, TextEncoder encoder, TrainingData data, CheckpointStore store, TrainingStop stop) {
    try {
      return run(model, adapter, encoder, data, store, stop);
    } catch (IOException e) {
      throw new UncheckedIOException("checkpoint store failed", e);
    } finally {
      stop.finished();
    }
  }

  private TrainingResult run(FluxTransformer model, Adapter adapter, TextEncoder encoder, TrainingData data, CheckpointStore store, TrainingStop stop) throws IOException {
    dev.urae.model.nn.Autograd.disableOnThisThread();
    AdapterOptimizer optimizer = config.optimizer().create(config.learningRate());
    SeededRandom dataRandom = SeededRandom.seeded(config.seed() * 2 + 1);
    SeededRandom noiseRandom = SeededRandom.seeded(config.seed() * 2 + 2);
    List<Double> losses = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    long step = 0;
    Optional<TrainingCheckpoint> latest = store.latest();
    if (latest.isPresent()) {
      TrainerCheckpoints.TrainerState state = TrainerCheckpoints.restoreAdapter(latest.get(), adapter);
      optimizer.restore(TrainerCheckpoints.optimizerState(latest.get()));
      dataRandom = SeededRandom.fromState(state.dataRandom());
      noiseRandom = SeededRandom.fromState(state.noiseRandom());
      losses.addAll(state.losses());
      rates.addAll(state.learningRates());
      step = state.step();
    }
    long resumedFrom = step;
    long savedAt = step;
    FlowMatchingStep pass = new FlowMatchingStep(model, encoder, data, config.batchSize(), config.realPromptRatio(), config.guidance(), config.sigmaSampler(),
        config.activationCheckpointingAbove());
    Map<String, NDArray> parameters = adapter.parameters();
    long start = System.nanoTime();
    while (step < config.steps() && !stop.isRequested()) {
      try (NDManager scope = model.manager().newSubManager()) {
        float loss = pass.run(scope, dataRandom, noiseRandom);
        // A diverged run must not overwrite good checkpoints with NaN weights.
        if (!Float.isFinite(loss)) throw diverged("the loss is " + loss, step + 1, savedAt);
        Map<String, NDArray> gradients = Gradients.collect(parameters, scope);
        try {
          GradientClipping.clipGlobalNorm(gradients, config.gradientClip());
        } catch (GradientClipping.NonFiniteGradientException e) {
          throw diverged(e.getMessage(), step + 1, savedAt);
        }
        optimizer.step(parameters, gradients);
        Gradients.zero(gradients);
        losses.add((double) loss);
        rates.add(optimizer.learningRate());
      }
      step++;
      onStep.accept(step);
      if (step % config.checkpointEvery() == 0 || step == config.steps()) {
        store.save(checkpoint(adapter, optimizer, step, dataRandom, noiseRandom, losses, rates));
        savedAt = step;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    boolean stopped = step < config.steps();
    if (stopped && savedAt != step) store.save(checkpoint(adapter, optimizer, step, dataRandom, noiseRandom, losses, rates));
    long done = step - resumedFrom;
    return new TrainingResult(step, losses, rates, stopped, resumedFrom, seconds, done == 0 ? 0 : done / seconds);
  }

  private static IllegalStateException diverged(String what, long step, long savedAt) {
    return new IllegalStateException("training diverged: " + what + " at step " + step
        + "; that step was not applied and the last checkpoint is at step " + savedAt
        + " (a retry continues from it); if it happens again, lower the learning rate");
  }

  private static TrainingCheckpoint checkpoint(Adapter adapter, AdapterOptimizer optimizer, long step, SeededRandom dataRandom, SeededRandom noiseRandom, List<Double> losses, List<Double> rates) throws IOException {
    return TrainerCheckpoints.encode(adapter, optimizer.state(),
        new TrainerCheckpoints.TrainerState(step, dataRandom.state(), noiseRandom.state(), losses, rates));
  }
}
