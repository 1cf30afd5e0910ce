package dev.urae.batch.report;

/** The training loss and learning rate at one optimiser step. */
public record LossPoint(long step, double loss, double lr) {
  public LossPoint {
    if (step < 0) throw new IllegalArgumentException("step < 0: " + step);
  }
}
