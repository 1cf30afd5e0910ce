package dev.urae.model.plan;

/**
 * One stage's estimated peak device memory, by what holds it. {@code withoutCheckpointing} is
 * the activations' figure when every block keeps its graph (shown beside the checkpointed one
 * for training; equal to {@code activations} elsewhere).
 */
public record StageEstimate(String stage, long weights, long activations, long withoutCheckpointing, boolean checkpointing,
    long adapterAndOptimizer, long vaeTiles) {

  /** Everything at once. */
  public long peak() {
    return weights + activations + adapterAndOptimizer + vaeTiles;
  }

  static Builder builder(String stage) {
    return new Builder(stage);
  }

  static final class Builder {
    private final String stage;
    private long weights;
    private long activations;
    private long withoutCheckpointing = -1;
    private boolean checkpointing;
    private long adapterAndOptimizer;
    private long vaeTiles;

    private Builder(String stage) {
      this.stage = stage;
    }

    Builder weights(long v) {
      weights = v;
      return this;
    }

    Builder activations(long v) {
      activations = v;
      return this;
    }

    Builder withoutCheckpointing(long v) {
      withoutCheckpointing = v;
      return this;
    }

    Builder checkpointing(boolean v) {
      checkpointing = v;
      return this;
    }

    Builder adapterAndOptimizer(long v) {
      adapterAndOptimizer = v;
      return this;
    }

    Builder vaeTiles(long v) {
      vaeTiles = v;
      return this;
    }

    StageEstimate build() {
      return new StageEstimate(stage, weights, activations, withoutCheckpointing < 0 ? activations : withoutCheckpointing, checkpointing,
          adapterAndOptimizer, vaeTiles);
    }
  }
}
