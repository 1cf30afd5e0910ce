package dev.urae.model.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.random.RandomGenerator;

/**
 * A SplitMix64 generator whose whole state is one {@code long}, so a trainer can checkpoint it
 * ({@link #state()}) and resume bit-identically ({@link #fromState(long)}). Everything that
 * must be reproducible (noise, σ sampling, initial weights) draws from one of these instead of
 * DJL's global generator.
 */
public final class SeededRandom implements RandomGenerator {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
  private long state;

  private SeededRandom(long state) {
    this.state = state;
  }

  /** A generator seeded with {@code seed}. */
  public static SeededRandom seeded(long seed) {
    return new SeededRandom(mix(seed));
  }

  /** Resumes a generator from a value returned by {@link #state()}. */
  public static SeededRandom fromState(long state) {
    return new SeededRandom(state);
  }

  /** The full state; {@link #fromState(long)} continues the exact same sequence. */
  public long state() {
    return state;
  }

  @Override
  public long nextLong() {
    state += GOLDEN_GAMMA;
    return mix(state);
  }

  /**
   * A standard normal draw by Box–Muller (no cached spare, so the state stays one long).
   */
  @Override
  public double nextGaussian() {
    double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
    double u2 = nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  /** {@code n} standard normal floats. */
  public float[] gaussians(int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) out[i] = (float) nextGaussian();
    return out;
  }

  /** A float32 array of standard normal noise of the given shape, created in {@code manager}. */
  public NDArray gaussian(NDManager manager, Shape shape) {
    return manager.create(gaussians(Math.toIntExact(shape.size())), shape);
  }

  /** {@code n} floats uniform in [−bound, bound). */
  public float[] uniforms(int n, float bound) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) out[i] = (float) ((nextDouble() * 2 - 1) * bound);
    return out;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
