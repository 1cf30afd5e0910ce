package dev.urae.model.flux;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.nn.Scoped;

/**
 * FLUX's 3-axis rotary position embedding. Text tokens have ids (0, 0, 0); image token (r, c)
 * of the packed grid has ids (0, r, c). Axis {@code i} with {@code d_i} dimensions rotates
 * pairs {@code (2j, 2j+1)} by {@code pos_i · θ^(−2j/d_i)}; the axes are concatenated.
 *
 * <p>The table holds {@code cos} and a signed {@code sin} ([N, headDim], pairs repeated) so that
 * applying it is {@code x·cos + swapPairs(x)·sinSigned}: swapping each pair and negating the
 * first element is the 90° rotation, and the negation is folded into the table.
 */
public final class RotaryEmbedding {
  private final NDArray cos;
  private final NDArray sinSigned;

  private RotaryEmbedding(NDArray cos, NDArray sinSigned) {
    this.cos = cos;
    this.sinSigned = sinSigned;
  }

  /**
   * The table for {@code textTokens} text tokens followed by a {@code gridH × gridW} image grid,
   * in double precision like the reference, stored as float32 in {@code manager}.
   */
  public static RotaryEmbedding create(NDManager manager, int[] axesDims, double theta, int textTokens, int gridH, int gridW) {
    return create(manager, axesDims, theta, textTokens, gridH, gridW, 1.0);
  }

  /**
   * As {@link #create(NDManager, int[], double, int, int, int)}, with the image positions
   * multiplied by {@code positionScale} (position interpolation: see {@link AttentionSettings}).
   */
  public static RotaryEmbedding create(NDManager manager, int[] axesDims, double theta, int textTokens, int gridH, int gridW, double positionScale) {
    if (!(positionScale > 0)) throw new IllegalArgumentException("positionScale must be positive, got " + positionScale);
    int headDim = 0;
    for (int d : axesDims) headDim += d;
    int n = textTokens + gridH * gridW;
    float[] cos = new float[n * headDim];
    float[] sin = new float[n * headDim];
    double[][] inverseFrequencies = new double[axesDims.length][];
    for (int a = 0; a < axesDims.length; a++) {
      int d = axesDims[a];
      inverseFrequencies[a] = new double[d / 2];
      for (int j = 0; j < d / 2; j++) inverseFrequencies[a][j] = 1.0 / Math.pow(theta, (2.0 * j) / d);
    }
    for (int t = 0; t < n; t++) {
      int image = t - textTokens;
      double[] position = image < 0 ? new double[] {0, 0, 0} : new double[] {0, (image / gridW) * positionScale, (image % gridW) * positionScale};
      int offset = t * headDim;
      for (int a = 0; a < axesDims.length; a++) {
        for (int j = 0; j < axesDims[a] / 2; j++) {
          double angle = position[a] * inverseFrequencies[a][j];
          float c = (float) Math.cos(angle);
          float s = (float) Math.sin(angle);
          cos[offset] = c;
          cos[offset + 1] = c;
          sin[offset] = -s;
          sin[offset + 1] = s;
          offset += 2;
        }
      }
    }
    Shape shape = new Shape(n, headDim);
    return new RotaryEmbedding(manager.create(cos, shape), manager.create(sin, shape));
  }

  /** Cosines [N, headDim]. */
  public NDArray cos() {
    return cos;
  }

  /** Sines [N, headDim] with the first element of each pair negated. */
  public NDArray sinSigned() {
    return sinSigned;
  }

  /** Number of positions. */
  public int tokens() {
    return Math.toIntExact(cos.getShape().get(0));
  }

  /**
   * Rotates {@code x} of shape {@code [B, N, ..., headDim]} (token axis 1, any number of axes
   * between token and feature, which broadcast).
   */
  public NDArray apply(NDArray x) {
    Shape s = x.getShape();
    int middle = s.dimension() - 3;
    long[] tableShape = new long[2 + middle];
    tableShape[0] = s.get(1);
    for (int i = 0; i < middle; i++) tableShape[1 + i] = 1;
    tableShape[tableShape.length - 1] = s.get(s.dimension() - 1);
    Shape t = new Shape(tableShape);
    // each intermediate is x's size: free the swapped copy as soon as it is multiplied, the rest on return
    return Scoped.runArray(() -> {
      NDArray swapped = swapPairs(x);
      NDArray rotated = swapped.mul(sinSigned.reshape(t));
      swapped.close();
      return x.mul(cos.reshape(t)).add(rotated);
    });
  }

  /** {@code (x0, x1, x2, x3, …) → (x1, x0, x3, x2, …)} along the last axis. */
  static NDArray swapPairs(NDArray x) {
    Shape s = x.getShape();
    Shape pairs = s.slice(0, s.dimension() - 1).add(s.get(s.dimension() - 1) / 2, 2);
    return x.reshape(pairs).flip(-1).reshape(s);
  }
}
