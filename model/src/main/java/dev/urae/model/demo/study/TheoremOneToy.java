package dev.urae.model.demo.study;

import java.util.SplittableRandom;

/**
 * Theorem 1's toy case (the paper's Figure 2), computed exactly: linear regression y = w·x in
 * {@code dimension} dimensions with ‖w*‖ = 1. A training set of {@code samples} inputs
 * x ~ N(0, I) is labelled in two ways: "real" labels are w*·x plus gaussian label noise of
 * standard deviation σ (unbiased but noisy), "synthetic" labels come from a reference model
 * w_ref = w* + δ·u (u a random unit vector), clean but biased by δ. A share p of the set is
 * synthetic. Mini-batch gradient descent from w₀ = 0 on the squared error; the curve is
 * ‖w_t − w*‖ for t = 0..steps.
 *
 * <p>What the theorem bounds: the error decays like (1 − ηλ)^t towards a floor; label noise
 * keeps real data's floor (and its path there) high, the bias keeps synthetic data's floor at
 * about p·δ. A small δ lets synthetic data get lower sooner; a large δ takes over. For one seed
 * the inputs, noise and batch order are the same for every p, δ and σ (common random numbers),
 * so curves differ only by what the labels say.
 */
public final class TheoremOneToy {
  /** The problem's size and the optimiser's settings. */
  public record Setup(int dimension, int samples, int batch, double learningRate, int steps) {
    public Setup {
      if (dimension < 1 || samples < 1 || batch < 1 || steps < 1) {
        throw new IllegalArgumentException("dimension, samples, batch and steps must be positive: " + dimension + ", " + samples + ", " + batch + ", " + steps);
      }
      if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be positive, was " + learningRate);
    }

    /** 16 dimensions, 256 samples, batch 4, η = 0.05, 600 steps: a run takes about a millisecond. */
    public static Setup standard() {
      return new Setup(16, 256, 4, 0.05, 600);
    }
  }

  /** One curve's parameters: synthetic share p, teacher bias δ, label noise σ. */
  public record Mixture(double syntheticShare, double delta, double labelNoise) {
    public Mixture {
      if (syntheticShare < 0 || syntheticShare > 1) throw new IllegalArgumentException("syntheticShare must be in [0, 1], was " + syntheticShare);
      if (delta < 0) throw new IllegalArgumentException("delta must not be negative, was " + delta);
      if (labelNoise < 0) throw new IllegalArgumentException("labelNoise must not be negative, was " + labelNoise);
    }
  }

  private final Setup setup;

  public TheoremOneToy(Setup setup) {
    this.setup = setup;
  }

  public Setup setup() {
    return setup;
  }

  /** ‖w_t − w*‖ for t = 0..steps of one seeded run. */
  public double[] errorCurve(Mixture mixture, long seed) {
    int d = setup.dimension();
    int n = setup.samples();
    SplittableRandom problem = new SplittableRandom(seed);
    double[] target = unitVector(problem, d);
    double[] bias = unitVector(problem, d);
    double[] reference = new double[d];
    for (int j = 0; j < d; j++) reference[j] = target[j] + mixture.delta() * bias[j];
    double[][] x = new double[n][d];
    double[] y = new double[n];
    int synthetic = (int) Math.round(mixture.syntheticShare() * n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) x[i][j] = problem.nextGaussian();
      double noise = problem.nextGaussian();
      // Items 0..synthetic-1 are the teacher's; the rest are real. The draws do not depend on p.
      y[i] = i < synthetic ? dot(reference, x[i]) : dot(target, x[i]) + mixture.labelNoise() * noise;
    }
    SplittableRandom batches = new SplittableRandom(seed ^ 0x5DEECE66DL);
    double[] w = new double[d];
    double[] gradient = new double[d];
    double[] curve = new double[setup.steps() + 1];
    curve[0] = distance(w, target);
    for (int t = 1; t <= setup.steps(); t++) {
      java.util.Arrays.fill(gradient, 0);
      for (int b = 0; b < setup.batch(); b++) {
        int i = batches.nextInt(n);
        double residual = dot(w, x[i]) - y[i];
        for (int j = 0; j < d; j++) gradient[j] += residual * x[i][j];
      }
      for (int j = 0; j < d; j++) w[j] -= setup.learningRate() * gradient[j] / setup.batch();
      curve[t] = distance(w, target);
    }
    return curve;
  }

  /** The first t at which {@code curve[t] ≤ threshold}, or −1 when it never gets there. */
  public static int stepsToReach(double[] curve, double threshold) {
    for (int t = 0; t < curve.length; t++) if (curve[t] <= threshold) return t;
    return -1;
  }

  /** The mean of the curve's last tenth: the floor the run settled on. */
  public static double floor(double[] curve) {
    int from = curve.length - Math.max(1, curve.length / 10);
    double sum = 0;
    for (int t = from; t < curve.length; t++) sum += curve[t];
    return sum / (curve.length - from);
  }

  private static double[] unitVector(SplittableRandom random, int d) {
    double[] v = new double[d];
    double norm = 0;
    for (int j = 0; j < d; j++) {
      v[j] = random.nextGaussian();
      norm += v[j] * v[j];
    }
    norm = Math.sqrt(norm);
    for (int j = 0; j < d; j++) v[j] /= norm;
    return v;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) s += a[j] * b[j];
    return s;
  }

  private static double distance(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) s += (a[j] - b[j]) * (a[j] - b[j]);
    return Math.sqrt(s);
  }
}
