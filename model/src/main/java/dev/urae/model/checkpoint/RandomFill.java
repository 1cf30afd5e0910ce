package dev.urae.model.checkpoint;

import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.HalfFloats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Tensor bytes for random-weight checkpoints ({@code urae model init}, random components),
 * generated in 1 MiB chunks straight into the file: uniform values in {@code [-bound, bound)}
 * (PyTorch's default linear initialisation uses {@code bound = 1/sqrt(fan_in)}), normal values
 * (transformers' {@code initializer_range}), a constant, or zeros as a hole. The stream of each
 * tensor is seeded by the checkpoint's seed and the tensor's name, so a tensor's values do not
 * depend on what else is written or how it is sharded.
 */
public final class RandomFill {
  private static final int CHUNK = 1 << 20;

  private RandomFill() {}

  /** {@code elements} values uniform in [-bound, bound), stored as {@code dtype} (F32, F16 or BF16). */
  public static ShardedSafeTensorsWriter.Bytes uniform(long seed, String name, long elements, float bound, DType dtype) {
    return out -> fill(out, elements, dtype, new Uniform(mix(seed, name), bound));
  }

  /** {@code elements} values from N(0, std²), stored as {@code dtype} (F32, F16 or BF16). */
  public static ShardedSafeTensorsWriter.Bytes gaussian(long seed, String name, long elements, float std, DType dtype) {
    return out -> fill(out, elements, dtype, new Gaussian(mix(seed, name), std));
  }

  /** Every element {@code value} (RMSNorm and LayerNorm scales start at one). */
  public static ShardedSafeTensorsWriter.Bytes constant(long elements, float value, DType dtype) {
    return out -> fill(out, elements, dtype, values -> java.util.Arrays.fill(values, value));
  }

  /**
   * Zeros left as a hole in the file (sparse where the file system allows): a shape-only
   * checkpoint of any size is written at once and reads back as zeros.
   */
  public static ShardedSafeTensorsWriter.Bytes zeros(long elements, DType dtype) {
    return out -> {
      long end = out.position() + elements * dtype.bytes();
      if (end > out.size()) {
        // Extend the file by writing its last byte; everything before it is a hole.
        out.write(ByteBuffer.allocate(1), end - 1);
      }
      out.position(end);
    };
  }

  /** Fills a chunk of float values. */
  private interface Source {
    void next(float[] values);
  }

  private static void fill(FileChannel out, long elements, DType dtype, Source source) throws IOException {
    int perChunk = CHUNK / dtype.bytes();
    float[] values = new float[perChunk];
    short[] halves = dtype.bytes() == 2 ? new short[perChunk] : null;
    ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    long left = elements;
    while (left > 0) {
      int n = (int) Math.min(left, perChunk);
      source.next(values);
      chunk.clear();
      switch (dtype) {
        case F32 -> chunk.asFloatBuffer().put(values, 0, n);
        case BF16 -> {
          for (int i = 0; i < n; i++) halves[i] = HalfFloats.floatToBf16(values[i]);
          chunk.asShortBuffer().put(halves, 0, n);
        }
        case F16 -> {
          for (int i = 0; i < n; i++) halves[i] = HalfFloats.floatToF16(values[i]);
          chunk.asShortBuffer().put(halves, 0, n);
        }
        default -> throw new IllegalArgumentException("random weights are F32, F16 or BF16, not " + dtype);
      }
      chunk.limit(n * dtype.bytes());
      while (chunk.hasRemaining()) out.write(chunk);
      left -= n;
    }
  }

  private static long mix(long seed, String name) {
    long h = seed ^ 0x9E3779B97F4A7C15L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) h = (h ^ b) * 0x100000001B3L;
    return h == 0 ? 1 : h;
  }

  /** xorshift64*: fast, and plenty for random test weights. */
  private static class Xorshift {
    private long state;

    Xorshift(long state) {
      this.state = state;
    }

    /** Uniform in [0, 1), 24 bits. */
    final float nextUnit() {
      long x = state;
      x ^= x >>> 12;
      x ^= x << 25;
      x ^= x >>> 27;
      state = x;
      return ((x * 0x2545F4914F6CDD1DL) >>> 40) * 0x1.0p-24f;
    }
  }

  private static final class Uniform extends Xorshift implements Source {
    private final float bound;

    Uniform(long state, float bound) {
      super(state);
      this.bound = bound;
    }

    @Override
    public void next(float[] values) {
      for (int i = 0; i < values.length; i++) values[i] = (nextUnit() * 2f - 1f) * bound;
    }
  }

  /** Box–Muller: two normal values from two uniform ones. */
  private static final class Gaussian extends Xorshift implements Source {
    private final float std;

    Gaussian(long state, float std) {
      super(state);
      this.std = std;
    }

    @Override
    public void next(float[] values) {
      for (int i = 0; i < values.length; i += 2) {
        double radius = std * Math.sqrt(-2 * Math.log(1 - nextUnit())); // 1 − u is in (0, 1]: no log(0)
        double angle = 2 * Math.PI * nextUnit();
        values[i] = (float) (radius * Math.cos(angle));
        if (i + 1 < values.length) values[i + 1] = (float) (radius * Math.sin(angle));
      }
    }
  }
}
