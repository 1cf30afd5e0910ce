package dev.urae.model.demo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.optim.AdamW;
import dev.urae.model.train.GradientClipping;
import dev.urae.model.train.Gradients;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Full training of a demo model's weights, shared by pretraining and guidance distillation:
 * every linear layer through a {@link FullRankDelta} (base weights never take gradients), the
 * text encoder's weights directly when asked, AdamW with linear warm-up and cosine decay, global
 * gradient clipping 1.0, and an exponential moving average of the weights that {@link #finish}
 * makes the model's final weights (the average of the last few hundred steps renders cleaner
 * than the last step's weights).
 */
final class FullTraining implements AutoCloseable {
  private final DemoBaseModel model;
  private final boolean encoder;
  private final NDManager state;
  private final Map<String, FullRankDelta> deltas = new LinkedHashMap<>();
  private final Map<String, NDArray> parameters = new LinkedHashMap<>();
  private final Map<String, NDArray> averages = new LinkedHashMap<>();
  private final AdamW optimizer;
  private final double emaDecay;
  private long step;

  /**
   * @param trainEncoder whether the text encoder trains too (pretraining) or stays frozen (distillation)
   * @param emaDecay the average's decay per step, in [0, 1); it warms up as (1 + n)/(10 + n)
   */
  FullTraining(DemoBaseModel model, boolean trainEncoder, double learningRate, int warmupSteps, int totalSteps, double emaDecay) {
    if (emaDecay < 0 || emaDecay >= 1) throw new IllegalArgumentException("emaDecay must be in [0, 1), was " + emaDecay);
    this.model = model;
    this.encoder = trainEncoder;
    this.emaDecay = emaDecay;
    this.state = model.transformer().manager().newSubManager();
    for (Map.Entry<String, AdaptableLinear> e : model.transformer().linears().entrySet()) {
      FullRankDelta delta = new FullRankDelta(state, e.getValue());
      e.getValue().attach(delta);
      deltas.put(e.getKey(), delta);
      List<NDArray> p = delta.trainableParameters();
      parameters.put(e.getKey() + ".weight", p.get(0));
      if (p.size() > 1) parameters.put(e.getKey() + ".bias", p.get(1));
    }
    if (trainEncoder) {
      model.textEncoder().setTrainable(true);
      model.textEncoder().parameters().forEach((name, array) -> parameters.put("text." + name, array));
    }
    parameters.forEach((name, p) -> averages.put(name, p.duplicate()));
    averages.values().forEach(a -> a.attach(state));
    optimizer = new AdamW(learningRate, 0.9, 0.999, 1e-8, 0, n -> schedule(n, warmupSteps, totalSteps));
  }

  /** Linear warm-up to 1 over {@code warmup} steps, then cosine decay to 0.05 at {@code total}. */
  static double schedule(long step, int warmup, int total) {
    if (step <= warmup) return (double) step / Math.max(1, warmup);
    double progress = Math.min(1, (double) (step - warmup) / Math.max(1, total - warmup));
    return 0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * progress));
  }

  /** After a backward pass in {@code scope}: clip, update, zero the gradients, update the average. */
  void step(NDManager scope) {
    Map<String, NDArray> gradients = Gradients.collect(parameters, scope);
    GradientClipping.clipGlobalNorm(gradients, 1.0);
    optimizer.step(parameters, gradients);
    Gradients.zero(gradients);
    step++;
    float decay = (float) Math.min(emaDecay, (1.0 + step) / (10.0 + step));
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      NDArray average = averages.get(e.getKey());
      try (NDManager temp = scope.newSubManager()) {
        NDArray current = e.getValue().duplicate();
        current.attach(temp);
        average.muli(decay).addi(current.muli(1 - decay));
      }
    }
  }

  double learningRate() {
    return optimizer.learningRate();
  }

  /** Makes the averaged weights the model's own: folds the deltas in and freezes the encoder. */
  void finish() {
    for (Map.Entry<String, FullRankDelta> e : deltas.entrySet()) {
      AdaptableLinear layer = model.transformer().linears().get(e.getKey());
      FullRankDelta delta = e.getValue();
      List<NDArray> p = delta.trainableParameters();
      p.get(0).setRequiresGradient(false);
      p.get(0).set(averages.get(e.getKey() + ".weight").toFloatArray());
      if (p.size() > 1) {
        p.get(1).setRequiresGradient(false);
        p.get(1).set(averages.get(e.getKey() + ".bias").toFloatArray());
      }
      delta.fold(layer);
    }
    if (encoder) {
      model.textEncoder().setTrainable(false);
      model.textEncoder().parameters().keySet().forEach(name -> model.textEncoder().setParameter(name, averages.get("text." + name).duplicate()));
    }
  }

  @Override
  public void close() {
    state.close();
  }
}
