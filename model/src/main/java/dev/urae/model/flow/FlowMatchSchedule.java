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
}
