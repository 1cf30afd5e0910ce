package dev.urae.model.tensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares two safetensors files tensor by tensor, streaming over the mapped bytes so that
 * multi-gigabyte checkpoints compare without loading a tensor onto the heap.
 */
public final class TensorDiff {
  /** A tensor present in both files: its largest absolute difference, or why none exists. */
  public record Shared(String name, double maxAbsDifference, String problem) {}

  /** Shared tensors in the first file's order, and the names found in only one file. */
  public record Report(List<Shared> shared, List<String> onlyInFirst, List<String> onlyInSecond) {}

  private TensorDiff() {}

  /** Compares {@code a} with {@code b}. */
  public static Report compare(SafeTensorsFile a, SafeTensorsFile b) throws IOException {
    List<Shared> shared = new ArrayList<>();
    List<String> onlyInFirst = new ArrayList<>();
    List<String> onlyInSecond = new ArrayList<>();
    for (String name : a.names()) {
      if (!b.contains(name)) {
        onlyInFirst.add(name);
        continue;
      }
      TensorEntry x = a.entry(name);
      TensorEntry y = b.entry(name);
      if (!x.shape().equals(y.shape())) {
        shared.add(new Shared(name, Double.NaN, "shape " + x.shapeText() + " vs " + y.shapeText()));
        continue;
      }
      shared.add(new Shared(name, maxAbsDifference(a.bytes(name), x.dtype(), b.bytes(name), y.dtype(), x.shape().size()), null));
    }
    for (String name : b.names()) if (!a.contains(name)) onlyInSecond.add(name);
    return new Report(shared, onlyInFirst, onlyInSecond);
  }

  private static double maxAbsDifference(ByteBuffer x, DType xt, ByteBuffer y, DType yt, long n) {
    double worst = 0;
    for (long i = 0; i < n; i++) {
      double d = Math.abs(value(x, xt, (int) i) - value(y, yt, (int) i));
      if (Double.isNaN(d)) return Double.NaN;
      worst = Math.max(worst, d);
    }
    return worst;
  }

  /** Element {@code i} of a little-endian buffer of type {@code t}, as a double. */
  static double value(ByteBuffer b, DType t, int i) {
    return switch (t) {
      case F32 -> b.getFloat(4 * i);
      case F16 -> HalfFloats.f16ToFloat(b.getShort(2 * i));
      case BF16 -> HalfFloats.bf16ToFloat(b.getShort(2 * i));
      case I64 -> b.getLong(8 * i);
      case I32 -> b.getInt(4 * i);
      case U8 -> b.get(i) & 0xff;
    };
  }
}
