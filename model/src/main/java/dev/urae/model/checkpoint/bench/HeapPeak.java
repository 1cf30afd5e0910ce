package dev.urae.model.checkpoint.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * The Java heap's high-water mark over a stretch of work: {@link #reset()} before, {@link
 * #peak()} after. The peak is the sum of each heap pool's own peak, an upper bound of the heap's
 * peak (the pools need not peak at the same moment), which is the safe side for a "the heap
 * barely moved" figure.
 */
public final class HeapPeak {
  private HeapPeak() {}

  /** Heap in use after a garbage collection. */
  public static long usedAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Starts a new high-water mark. */
  public static void reset() {
    for (MemoryPoolMXBean pool : pools()) pool.resetPeakUsage();
  }

  /** The high-water mark since {@link #reset()}, in bytes. */
  public static long peak() {
    long peak = 0;
    for (MemoryPoolMXBean pool : pools()) peak += pool.getPeakUsage().getUsed();
    return peak;
  }

  private static List<MemoryPoolMXBean> pools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
  }
}
