package dev.urae.model.svd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * r singular triplets of a rows×cols matrix, singular values in descending order: U_r (rows×r),
 * S_r (r) and V_rᵀ (r×cols), row-major float32. A thin decomposition A = U·diag(S)·Vᵀ
 * ({@link LapackSvd}) has r = min(rows, cols); a minor-component adapter needs only its
 * {@link #smallest} few, which is what the {@link DecompositionCache} stores: a few MB per layer
 * instead of the whole factorisation.
 */
public final class SingularTriplets {
  private static final int MAGIC = 0x55525354; // "URST"

  private final int rows;
  private final int cols;
  private final float[] u;
  private final float[] s;
  private final float[] vt;

  public SingularTriplets(int rows, int cols, float[] u, float[] s, float[] vt) {
    int r = s.length;
    if (rows < 1 || cols < 1) throw new IllegalArgumentException("rows and cols must be positive: " + rows + "x" + cols);
    if (u.length != rows * r) throw new IllegalArgumentException("u has " + u.length + " values, expected " + rows * r);
    if (vt.length != r * cols) throw new IllegalArgumentException("vt has " + vt.length + " values, expected " + r * cols);
    this.rows = rows;
    this.cols = cols;
    this.u = u.clone();
    this.s = s.clone();
    this.vt = vt.clone();
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  public int rank() {
    return s.length;
  }

  /** U_r, rows×r row-major (a copy). */
  public float[] u() {
    return u.clone();
  }

  /** S_r (a copy). */
  public float[] s() {
    return s.clone();
  }

  /** V_rᵀ, r×cols row-major (a copy). */
  public float[] vt() {
    return vt.clone();
  }

  /**
   * The {@code rank} smallest singular triplets, in the decomposition's own (descending)
   * order: the last {@code rank} columns of U, values of S and rows of Vᵀ.
   */
  public SingularTriplets smallest(int rank) {
    int k = rank();
    if (rank < 1 || rank > k) throw new IllegalArgumentException("rank must be in 1.." + k + ", was " + rank);
    int first = k - rank;
    float[] ur = new float[rows * rank];
    for (int i = 0; i < rows; i++) System.arraycopy(u, i * k + first, ur, i * rank, rank);
    float[] sr = Arrays.copyOfRange(s, first, k);
    float[] vtr = Arrays.copyOfRange(vt, first * cols, k * cols);
    return new SingularTriplets(rows, cols, ur, sr, vtr);
  }

  /** A self-describing little-endian encoding, for caches that store bytes. */
  public byte[] toBytes() {
    int r = rank();
    ByteBuffer out = ByteBuffer.allocate(16 + 4 * (u.length + s.length + vt.length)).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(MAGIC).putInt(rows).putInt(cols).putInt(r);
    out.asFloatBuffer().put(u).put(s).put(vt);
    return out.array();
  }

  /** Reads {@link #toBytes()}; fails with a message when the bytes are not such an encoding. */
  public static SingularTriplets fromBytes(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 16 || in.getInt() != MAGIC) throw new IllegalArgumentException("not encoded singular triplets");
    int rows = in.getInt();
    int cols = in.getInt();
    int r = in.getInt();
    long expected = 16L + 4L * ((long) rows * r + r + (long) r * cols);
    if (rows < 1 || cols < 1 || r < 0 || bytes.length != expected) {
      throw new IllegalArgumentException("singular triplets of " + bytes.length + " bytes, expected " + expected);
    }
    float[] u = new float[rows * r];
    float[] s = new float[r];
    float[] vt = new float[r * cols];
    in.asFloatBuffer().get(u).get(s).get(vt);
    return new SingularTriplets(rows, cols, u, s, vt);
  }
}
