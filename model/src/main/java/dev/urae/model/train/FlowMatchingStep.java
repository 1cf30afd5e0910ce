package dev.urae.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.urae.model.flow.FlowMatching;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flow.SigmaSampler;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.flux.Packing;
import dev.urae.model.text.TextEmbedding;
import dev.urae.model.text.TextEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One flow-matching step's forward and backward pass: draw a batch, pick each item's caption
 * (the short prompt with probability real_prompt_ratio, else the generated one), draw each
 * item's latents from its cached posterior where it has one ({@link TrainingItem#sampleLatents}), noise the
 * packed latents to x_σ = (1−σ)·x₀ + σ·ε, predict the velocity with the guidance input fixed,
 * and back-propagate mean((v − (ε − x₀))²). With caption dropout p > 0 (pretraining a model
 * that classifier-free guidance can use), an item's caption is replaced by the empty prompt with
 * probability p, which teaches the model its unconditional velocity. With pooled dropout q > 0, an
 * item that keeps its caption gets the empty prompt's pooled vector with probability q (its
 * sequence stays), as SD3 drops each of its text encoders on its own: the global pooled vector
 * alone cannot say which colour belongs to which object, and a model that may not lean on it
 * learns to read the attributes from the sequence. Gradients land on whatever arrays require them.
 * All randomness comes from the two generators passed in, in a fixed order, so a resumed run
 * draws exactly what an uninterrupted one would.
 */
public final class FlowMatchingStep {
  private final FluxTransformer model;
  private final TextEncoder encoder;
  private final TrainingData data;
  private final int batchSize;
  private final double realPromptRatio;
  private final double guidance;
  private final SigmaSampler sigmaSampler;
  private final int activationCheckpointingAbove;
  private final double captionDropout;
  private final double pooledDropout;

  /** The empty prompt: what a model trained with caption dropout reads as "no condition". */
  public static final String UNCONDITIONAL = "";

  public FlowMatchingStep(FluxTransformer model, TextEncoder encoder, TrainingData data, int batchSize, double realPromptRatio, double guidance,
      SigmaSampler sigmaSampler, int activationCheckpointingAbove) {
    this(model, encoder, data, batchSize, realPromptRatio, guidance, sigmaSampler, activationCheckpointingAbove, 0);
  }

  /**
   * @param activationCheckpointingAbove steps with more image tokens than this recompute blocks in the backward pass
   *     ({@link Integer#MAX_VALUE}: never)
   */
  public FlowMatchingStep(FluxTransformer model, TextEncoder encoder, TrainingData data, int batchSize, double realPromptRatio, double guidance,
      SigmaSampler sigmaSampler, int activationCheckpointingAbove, double captionDropout) {
    this(model, encoder, data, batchSize, realPromptRatio, guidance, sigmaSampler, activationCheckpointingAbove, captionDropout, 0);
  }

  /** As above, with pooled dropout {@code pooledDropout} in [0, 1) (see the class comment). */
  public FlowMatchingStep(FluxTransformer model, TextEncoder encoder, TrainingData data, int batchSize, double realPromptRatio, double guidance,
      SigmaSampler sigmaSampler, int activationCheckpointingAbove, double captionDropout, double pooledDropout) {
    if (pooledDropout < 0 || pooledDropout >= 1) throw new IllegalArgumentException("pooledDropout must be in [0, 1), was " + pooledDropout);
    if (pooledDropout > 0 && encoder == null) throw new IllegalArgumentException("pooled dropout needs a text encoder (it encodes the empty prompt)");
    if (captionDropout < 0 || captionDropout >= 1) throw new IllegalArgumentException("captionDropout must be in [0, 1), was " + captionDropout);
    if (captionDropout > 0 && encoder == null) throw new IllegalArgumentException("caption dropout needs a text encoder (it encodes the empty prompt)");
    this.captionDropout = captionDropout;
    this.pooledDropout = pooledDropout;
    this.model = model;
    this.encoder = encoder;
    this.data = data;
    this.batchSize = batchSize;
    this.realPromptRatio = realPromptRatio;
    this.guidance = guidance;
    this.sigmaSampler = sigmaSampler;
    this.activationCheckpointingAbove = activationCheckpointingAbove;
    if (data.size() < 1) throw new IllegalArgumentException("training data is empty");
  }

  /** Runs forward and backward in {@code scope}; returns the loss. */
  public float run(NDManager scope, SeededRandom dataRandom, SeededRandom noiseRandom) {
    // Text is encoded inside the collector too, so a trainable encoder (demo pretraining) learns.
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      return run(scope, dataRandom, noiseRandom, collector);
    }
  }

  private float run(NDManager scope, SeededRandom dataRandom, SeededRandom noiseRandom, GradientCollector collector) {
    NDList latents = new NDList();
    List<NDArray> sequences = new ArrayList<>();
    List<NDArray> pooled = new ArrayList<>();
    // The empty prompt is encoded at most once per step, however many items drop their caption or pooled vector.
    TextEmbedding unconditional = null;
    for (int b = 0; b < batchSize; b++) {
      TrainingItem item = data.item(dataRandom.nextInt(data.size()));
      boolean real = dataRandom.nextDouble() < realPromptRatio;
      // Drawn only when dropout is on, so runs without it draw exactly what they always did.
      boolean dropped = captionDropout > 0 && dataRandom.nextDouble() < captionDropout;
      NDArray x = item.sampleLatents(scope, noiseRandom);
      if (x.getShape().dimension() != 3) throw new IllegalArgumentException(item.id() + ": latents must be [C, h, w], got " + x.getShape());
      latents.add(x.expandDims(0));
      // Drawn only when pooled dropout is on, likewise.
      boolean pooledDropped = !dropped && pooledDropout > 0 && dataRandom.nextDouble() < pooledDropout;
      if ((dropped || pooledDropped) && unconditional == null) unconditional = encoder.encode(UNCONDITIONAL, scope);
      TextEmbedding text = dropped ? unconditional : text(item, !real, scope);
      sequences.add(text.sequence().expandDims(0));
      pooled.add((pooledDropped ? unconditional : text).pooled().expandDims(0));
    }
    NDArray stacked = NDArrays.concat(latents, 0);
    int h = Math.toIntExact(stacked.getShape().get(2));
    int w = Math.toIntExact(stacked.getShape().get(3));
    NDArray x0 = Packing.pack(stacked);
    NDArray txt = NDArrays.concat(new NDList(sequences), 0);
    NDArray pool = NDArrays.concat(new NDList(pooled), 0);
    NDArray noise = noiseRandom.gaussian(scope, x0.getShape());
    float[] sigmas = new float[batchSize];
    for (int b = 0; b < batchSize; b++) sigmas[b] = (float) sigmaSampler.sample(noiseRandom);
    float[] guidances = new float[batchSize];
    Arrays.fill(guidances, (float) guidance);
    NDArray sigma = scope.create(sigmas, new Shape(batchSize));
    NDArray g = scope.create(guidances, new Shape(batchSize));
    NDArray xt = FlowMatching.noisy(x0, noise, sigma);
    NDArray target = FlowMatching.target(x0, noise);
    if (x0.getShape().get(1) > activationCheckpointingAbove) {
      return model.forwardBackwardCheckpointed(xt, txt, pool, sigma, g, h, w, prediction -> FlowMatching.loss(prediction, target)).getFloat();
    }
    NDArray loss = FlowMatching.loss(model.forward(xt, txt, pool, sigma, g, h, w), target);
    collector.backward(loss);
    return loss.getFloat();
  }

  private TextEmbedding text(TrainingItem item, boolean generated, NDManager scope) {
    Optional<TextEmbedding> cached = item.textFeatures(generated, scope);
    if (cached.isPresent()) return cached.get();
    if (encoder == null) throw new IllegalStateException(item.id() + " has no cached text features and no text encoder was given");
    return encoder.encode(generated ? item.generatedPrompt() : item.prompt(), scope);
  }
}
