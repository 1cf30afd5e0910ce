package dev.urae.model.checkpoint;

import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.HalfFloats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Tensor bytes for random-weight checkpoints ({@code urae model init}), generated in 1 MiB
 * chunks straight into the file: uniform values in {@code [-bound, bound)} (PyTorch's default
 * linear initialisation uses {@code bound = 1/sqrt(fan_in)}) or a constant. The stream of each
 * tensor is seeded by the checkpoint's seed and the tensor's name, so a tensor's values do not
 * depend on what else is written.
 */
public final class RandomFill {
  private static final int CHUNK = 1 << 20;

  private RandomFill() {}

  /** {@code shape}'s elements uniform in [-bound, bound), stored as {@code dtype} (F32, F16 or BF16). */
  public static ShardedSafeTensorsWriter.Bytes uniform(long seed, String name, long elements, float bound, DType dtype) {
    return out -> fill(out, elements, dtype, new Uniform(mix(seed, name), bound));
  }

  /** Every element {@code value} (RMSNorm and LayerNorm scales start at one). */
  public static ShardedSafeTensorsWriter.Bytes constant(long elements, float value, DType dtype) {
    return out -> fill(out, elements, dtype, () -> value);
  }

  private interface Source {
    float next();
  }

  private static void fill(FileChannel out, long elements, DType dtype, Source source) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    long left = elements;
    while (left > 0) {
      chunk.clear();
      int n = (int) Math.min(left, CHUNK / dtype.bytes());
      for (int i = 0; i < n; i++) {
        float v = source.next();
        switch (dtype) {
          case F32 -> chunk.putFloat(v);
          case BF16 -> chunk.putShort(HalfFloats.floatToBf16(v));
          case F16 -> chunk.putShort(HalfFloats.floatToF16(v));
          default -> throw new IllegalArgumentException("random weights are F32, F16 or BF16, not " + dtype);
        }
      }
      chunk.flip();
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
  private static final class Uniform implements Source {
    private long state;
    private final float bound;

    Uniform(long state, float bound) {
      this.state = state;
      this.bound = bound;
    }

    @Override
    public float next() {
      state ^= state >>> 12;
      state ^= state << 25;
      state ^= state >>> 27;
      long r = state * 0x2545F4914F6CDD1DL;
      return ((r >>> 40) * 0x1.0p-24f * 2f - 1f) * bound;
    }
  }
}
