package dev.urae.model.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.urae.model.adapter.Adapter;
import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.adapter.AdapterSpec;
import dev.urae.model.flux.FluxConfig;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.svd.DecompositionCache;
import dev.urae.model.svd.MinorComponentDecomposer;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;

/**
 * Peak Java heap and peak resident memory of minor-component set-up ({@code Adapter.initMinor},
 * URAE's targets, no cache) on a random model of FLUX's block shapes at a chosen width: what
 * the set-up costs beside the model it decomposes. Run with {@code MALLOC_MMAP_THRESHOLD_=65536}
 * so freed tensors leave the resident set.
 */
public final class MinorSetUpBenchmark {
  private static final double MIB = 1024.0 * 1024;

  private final FluxConfig config;
  private final int rank;
  private final int threads;

  public MinorSetUpBenchmark(int heads, int doubleBlocks, int singleBlocks, int rank, int threads) {
    if (heads < 1 || doubleBlocks < 0 || singleBlocks < 0 || doubleBlocks + singleBlocks < 1) {
      throw new IllegalArgumentException("need at least one head and one block, got " + heads + " heads, " + doubleBlocks + "+" + singleBlocks + " blocks");
    }
    if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    this.config = FluxPresets.FLUX_DEV.toBuilder().optName("minor-set-up").setNumAttentionHeads(heads)
        .setNumLayers(doubleBlocks).setNumSingleLayers(singleBlocks).build();
    this.rank = rank;
    this.threads = threads;
  }

  public void run(PrintStream out) {
    if (!ResidentMemory.measurable()) throw new IllegalStateException("peak memory needs Linux with a writable /proc/self/clear_refs");
    Engine.getInstance();
    JniUtils.setNumThreads(threads);
    try (NDManager manager = NDManager.newBaseManager(); FluxTransformer model = FluxTransformer.random(config, 0, manager)) {
      AdapterSpec spec = AdapterSpec.urae(AdapterKind.MINOR, rank);
      long targetBytes = 0;
      int layers = 0;
      for (String module : spec.targets().select(model.linears().keySet())) {
        AdaptableLinear layer = model.linears().get(module);
        targetBytes += (long) layer.inFeatures() * layer.outFeatures() * Float.BYTES;
        layers++;
      }
      out.printf(Locale.ROOT, "urae bench minor: minor-component set-up, rank %d, hidden %d, %d double + %d single blocks, %d target layers (%.0f MiB of float32 weights), CPU, %d thread(s)%n",
          rank, config.innerDim(), config.numLayers(), config.numSingleLayers(), layers, targetBytes / MIB, threads);
      System.gc();
      long heapBefore = heapUsed();
      resetHeapPeaks();
      long residentBefore = ResidentMemory.currentBytes();
      ResidentMemory.resetPeak();
      long start = System.nanoTime();
      try (Adapter adapter = Adapter.initMinor(model.linears(), spec, new MinorComponentDecomposer(DecompositionCache.none()))) {
        double seconds = (System.nanoTime() - start) / 1e9;
        double heapPeak = (heapPeak() - heapBefore) / MIB;
        double residentPeak = (ResidentMemory.peakBytes() - residentBefore) / MIB;
        double residentAfter = (ResidentMemory.currentBytes() - residentBefore) / MIB;
        out.printf(Locale.ROOT, "%9s %14s %17s %18s%n", "seconds", "heap peak MiB", "resident peak MiB", "resident after MiB");
        out.printf(Locale.ROOT, "%9.1f %14.0f %17.0f %18.0f%n", seconds, heapPeak, residentPeak, residentAfter);
      }
    }
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void resetHeapPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
  }

  /** The sum of the heap pools' peaks since the reset: an upper bound of the heap's peak. */
  private static long heapPeak() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) if (pool.getType() == MemoryType.HEAP) sum += pool.getPeakUsage().getUsed();
    return sum;
  }
}
