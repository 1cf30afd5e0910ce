package dev.urae.model.svd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds the r smallest singular triplets of many weights: from the cache when it has them,
 * else by LAPACK, several layers at once. With P parallel decompositions on C cores each
 * OpenBLAS call gets C/P threads, so the machine is busy without oversubscription.
 */
public final class MinorComponentDecomposer {
  private final DecompositionCache cache;
  private final int parallelism;
  private final AtomicInteger decomposed = new AtomicInteger();
  private final AtomicInteger cacheHits = new AtomicInteger();

  public MinorComponentDecomposer(DecompositionCache cache, int parallelism) {
    this.cache = Objects.requireNonNull(cache, "cache == null");
    if (parallelism < 1) throw new IllegalArgumentException("parallelism must be positive, was " + parallelism);
    this.parallelism = parallelism;
  }

  /** A decomposer running as many decompositions at once as there are cores. */
  public static MinorComponentDecomposer boundedByCores(DecompositionCache cache) {
    return new MinorComponentDecomposer(cache, Runtime.getRuntime().availableProcessors());
  }

  /** The r smallest triplets of each weight, in the order given, keyed by weight name. */
  public Map<String, SingularTriplets> smallest(List<WeightMatrix> weights, int rank) {
    int threads = Math.max(1, Math.min(parallelism, weights.size()));
    LapackSvd.setThreads(Math.max(1, Runtime.getRuntime().availableProcessors() / threads));
    ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "svd");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<SingularTriplets>> futures = new ArrayList<>();
      for (WeightMatrix weight : weights) futures.add(pool.submit(() -> smallest(weight, rank)));
      Map<String, SingularTriplets> result = new LinkedHashMap<>();
      for (int i = 0; i < weights.size(); i++) result.put(weights.get(i).name(), futures.get(i).get());
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while decomposing", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) throw runtime;
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** The r smallest triplets of one weight, cached. */
  public SingularTriplets smallest(WeightMatrix weight, int rank) {
    int k = Math.min(weight.rows(), weight.cols());
    if (rank < 1 || rank > k) {
      throw new IllegalArgumentException(weight.name() + ": rank must be in 1.." + k + ", was " + rank);
    }
    DecompositionKey key = DecompositionKey.of(weight.values(), weight.rows(), weight.cols(), rank);
    var cached = cache.get(key);
    if (cached.isPresent() && cached.get().rows() == weight.rows() && cached.get().cols() == weight.cols()) {
      cacheHits.incrementAndGet();
      return cached.get();
    }
    SingularTriplets triplets = LapackSvd.decompose(weight.values(), weight.rows(), weight.cols()).smallest(rank);
    decomposed.incrementAndGet();
    cache.put(key, triplets);
    return triplets;
  }

  /** Decompositions actually computed so far (not served by the cache). */
  public int decompositions() {
    return decomposed.get();
  }

  public int cacheHits() {
    return cacheHits.get();
  }
}
