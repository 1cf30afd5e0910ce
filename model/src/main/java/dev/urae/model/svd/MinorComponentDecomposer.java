package dev.urae.model.svd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds the r smallest singular triplets of one layer's weight at a time: from the cache when
 * it has them, else by {@link TorchSvd} on the weight's own device. Only the r triplets reach
 * the JVM; the weight never enters the Java heap (its cache key is hashed from a native copy of
 * its float32 bytes), so set-up needs one layer's decomposition at a time, whatever the model.
 */
public final class MinorComponentDecomposer {
  private final DecompositionCache cache;
  private final AtomicInteger decomposed = new AtomicInteger();
  private final AtomicInteger cacheHits = new AtomicInteger();

  public MinorComponentDecomposer(DecompositionCache cache) {
    this.cache = Objects.requireNonNull(cache, "cache == null");
  }

  /** The {@code rank} smallest triplets of {@code weight} [rows, cols] (module {@code name}, for messages), cached. */
  public SingularTriplets smallest(String name, NDArray weight, int rank) {
    int rows = Math.toIntExact(weight.getShape().get(0));
    int cols = Math.toIntExact(weight.getShape().get(1));
    int k = Math.min(rows, cols);
    if (rank < 1 || rank > k) throw new IllegalArgumentException(name + ": rank must be in 1.." + k + ", was " + rank);
    DecompositionKey key = key(weight, rows, cols, rank);
    var cached = cache.get(key);
    if (cached.isPresent() && cached.get().rows() == rows && cached.get().cols() == cols) {
      cacheHits.incrementAndGet();
      return cached.get();
    }
    SingularTriplets triplets = TorchSvd.smallest(weight, rank);
    decomposed.incrementAndGet();
    cache.put(key, triplets);
    return triplets;
  }

  /** The key of the weight's float32 values, as {@link DecompositionKey#of(float[], int, int, int)} computes it, from native memory. */
  private static DecompositionKey key(NDArray weight, int rows, int cols, int rank) {
    if (weight.getDataType() == DataType.FLOAT32) return DecompositionKey.of(weight.toByteBuffer(), rows, cols, rank);
    try (NDArray widened = weight.toType(DataType.FLOAT32, true)) {
      return DecompositionKey.of(widened.toByteBuffer(), rows, cols, rank);
    }
  }

  /** Decompositions actually computed so far (not served by the cache). */
  public int decompositions() {
    return decomposed.get();
  }

  public int cacheHits() {
    return cacheHits.get();
  }
}
