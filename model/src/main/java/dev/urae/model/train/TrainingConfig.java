package dev.urae.model.train;

import dev.urae.model.flow.SigmaSampler;
import java.util.Objects;

/**
 * Settings of an adaptation run. Defaults follow URAE: Prodigy at λ = 1.0, guidance input 1.0,
 * real_prompt_ratio 0.2, gradient clipping 1.0, batch 1, checkpoint every 1,000 steps.
 */
public final class TrainingConfig {
  private final int steps;
  private final int batchSize;
  private final OptimizerKind optimizer;
  private final double learningRate;
  private final double guidance;
  private final double realPromptRatio;
  private final double gradientClip;
  private final int checkpointEvery;
  private final long seed;
  private final SigmaSampler sigmaSampler;
  private final int activationCheckpointingAbove;

  private TrainingConfig(Builder b) {
    this.steps = b.steps;
    this.batchSize = b.batchSize;
    this.optimizer = b.optimizer;
    this.learningRate = b.learningRate;
    this.guidance = b.guidance;
    this.realPromptRatio = b.realPromptRatio;
    this.gradientClip = b.gradientClip;
    this.checkpointEvery = b.checkpointEvery;
    this.seed = b.seed;
    this.sigmaSampler = b.sigmaSampler;
    this.activationCheckpointingAbove = b.activationCheckpointingAbove;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.steps = steps;
    b.batchSize = batchSize;
    b.optimizer = optimizer;
    b.learningRate = learningRate;
    b.guidance = guidance;
    b.realPromptRatio = realPromptRatio;
    b.gradientClip = gradientClip;
    b.checkpointEvery = checkpointEvery;
    b.seed = seed;
    b.sigmaSampler = sigmaSampler;
    b.activationCheckpointingAbove = activationCheckpointingAbove;
    return b;
  }

  /** Total optimizer steps of the run (a resumed run counts the steps before the checkpoint). */
  public int steps() {
    return steps;
  }

  public int batchSize() {
    return batchSize;
  }

  public OptimizerKind optimizer() {
    return optimizer;
  }

  public double learningRate() {
    return learningRate;
  }

  /** The guidance embedding's input while adapting (URAE: 1.0, guidance off). */
  public double guidance() {
    return guidance;
  }

  /** Probability of training on the short prompt instead of the generated caption. */
  public double realPromptRatio() {
    return realPromptRatio;
  }

  public double gradientClip() {
    return gradientClip;
  }

  public int checkpointEvery() {
    return checkpointEvery;
  }

  public long seed() {
    return seed;
  }

  public SigmaSampler sigmaSampler() {
    return sigmaSampler;
  }

  /**
   * Steps whose images have more packed tokens than this recompute the transformer blocks in
   * the backward pass instead of keeping their activations (see
   * {@code FluxTransformer.forwardBackwardCheckpointed}): 0 always, {@link Integer#MAX_VALUE}
   * (the default) never, the base model's native image tokens for "above the base resolution".
   */
  public int activationCheckpointingAbove() {
    return activationCheckpointingAbove;
  }

  public static final class Builder {
    private int steps = 2000;
    private int batchSize = 1;
    private OptimizerKind optimizer = OptimizerKind.PRODIGY;
    private double learningRate = 1.0;
    private double guidance = 1.0;
    private double realPromptRatio = 0.2;
    private double gradientClip = 1.0;
    private int checkpointEvery = 1000;
    private long seed = 0;
    private SigmaSampler sigmaSampler = SigmaSampler.uniform();
    private int activationCheckpointingAbove = Integer.MAX_VALUE;

    public Builder setSteps(int steps) {
      this.steps = steps;
      return this;
    }

    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder optOptimizer(OptimizerKind optimizer) {
      this.optimizer = optimizer;
      return this;
    }

    public Builder optLearningRate(double learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    public Builder optGuidance(double guidance) {
      this.guidance = guidance;
      return this;
    }

    public Builder optRealPromptRatio(double ratio) {
      this.realPromptRatio = ratio;
      return this;
    }

    public Builder optGradientClip(double clip) {
      this.gradientClip = clip;
      return this;
    }

    public Builder optCheckpointEvery(int every) {
      this.checkpointEvery = every;
      return this;
    }

    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder optSigmaSampler(SigmaSampler sampler) {
      this.sigmaSampler = sampler;
      return this;
    }

    public Builder optActivationCheckpointing(boolean on) {
      return optActivationCheckpointingAbove(on ? 0 : Integer.MAX_VALUE);
    }

    public Builder optActivationCheckpointingAbove(int imageTokens) {
      this.activationCheckpointingAbove = imageTokens;
      return this;
    }

    public TrainingConfig build() {
      if (steps < 1) throw new IllegalArgumentException("steps must be positive, was " + steps);
      if (batchSize < 1) throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
      Objects.requireNonNull(optimizer, "optimizer == null");
      if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be positive, was " + learningRate);
      if (realPromptRatio < 0 || realPromptRatio > 1) throw new IllegalArgumentException("realPromptRatio must be in [0, 1], was " + realPromptRatio);
      if (!(gradientClip > 0)) throw new IllegalArgumentException("gradientClip must be positive, was " + gradientClip);
      if (checkpointEvery < 1) throw new IllegalArgumentException("checkpointEvery must be positive, was " + checkpointEvery);
      Objects.requireNonNull(sigmaSampler, "sigmaSampler == null");
      if (activationCheckpointingAbove < 0) throw new IllegalArgumentException("activationCheckpointingAbove must be >= 0, was " + activationCheckpointingAbove);
      return new TrainingConfig(this);
    }
  }
}
