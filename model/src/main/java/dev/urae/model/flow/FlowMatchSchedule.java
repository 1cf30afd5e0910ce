package dev.urae.model.flow;

/** The σ schedule of Euler sampling: {@code linspace(1, 1/N, N)}, shifted, then a final 0. */
public final class FlowMatchSchedule {
  private FlowMatchSchedule() {}

  /** {@code steps + 1} values from 1 down to 0. */
  public static double[] sigmas(int steps, TimeShift shift) {
    if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    double[] sigmas = new double[steps + 1];
    double last = 1.0 / steps;
    for (int i = 0; i < steps; i++) {
      double linear = steps == 1 ? 1.0 : 1.0 + (last - 1.0) * i / (steps - 1);
      sigmas[i] = shift.apply(linear);
    }
    sigmas[steps] = 0;
    return sigmas;
  }

  /**
   * {@code sigma}, then the values of {@code sigmas} below it (ending at 0): the part of a
   * schedule that finishes an image re-noised to {@code sigma} (coarse-to-fine).
   */
  public static double[] from(double[] sigmas, double sigma) {
    double[] below = java.util.Arrays.stream(sigmas).filter(v -> v < sigma).toArray();
    double[] tail = new double[below.length + 1];
    tail[0] = sigma;
    System.arraycopy(below, 0, tail, 1, below.length);
    return tail;
  }
}
