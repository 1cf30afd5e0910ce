package dev.urae.model.train;

import dev.urae.model.optim.AdamW;
import dev.urae.model.optim.AdapterOptimizer;
import dev.urae.model.optim.Prodigy;

/** The optimizers the trainer offers. */
public enum OptimizerKind {
  /** AdamW at the configured learning rate, betas 0.9/0.999, weight decay 1e-4. */
  ADAMW,
  /** Prodigy with URAE's settings; the configured learning rate is Prodigy's λ (1.0 in URAE). */
  PRODIGY;

  /** The learning rate a run uses when none is set: Prodigy's λ = 1.0 (URAE), AdamW 1e-3. */
  public double defaultLearningRate() {
    return this == PRODIGY ? 1.0 : 1e-3;
  }

  AdapterOptimizer create(double learningRate) {
    return switch (this) {
      case ADAMW -> AdamW.withLearningRate(learningRate);
      case PRODIGY -> Prodigy.builder().optLearningRate(learningRate).build();
    };
  }

  public static OptimizerKind parse(String text) {
    for (OptimizerKind k : values()) if (k.name().equalsIgnoreCase(text)) return k;
    throw new IllegalArgumentException("optimizer must be adamw or prodigy, was " + text);
  }
}
