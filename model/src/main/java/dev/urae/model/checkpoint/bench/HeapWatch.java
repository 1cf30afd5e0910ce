package dev.urae.model.checkpoint.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * What a stretch of work does to the Java heap: the bytes the calling thread allocated (exact,
 * from the JVM's per-thread counter) and the highest heap use seen by a sampler polling every
 * millisecond (pool peak counters are no help: G1 updates them only at collections).
 */
public final class HeapWatch implements AutoCloseable {
  private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final long thread = Thread.currentThread().getId();
  private final long usedBefore;
  private final long allocatedBefore;
  private final Thread sampler;
  private volatile long peak;
  private volatile boolean running = true;
  private long allocated = -1;

  private HeapWatch() {
    System.gc();
    usedBefore = memory.getHeapMemoryUsage().getUsed();
    peak = usedBefore;
    sampler = new Thread(() -> {
      while (running) {
        peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-watch");
    sampler.setDaemon(true);
    sampler.start();
    allocatedBefore = threads.getThreadAllocatedBytes(thread);
  }

  /** Collects garbage, then starts watching from the calling thread. */
  public static HeapWatch start() {
    return new HeapWatch();
  }

  /** Stops watching; call from the thread that started. */
  @Override
  public void close() {
    if (allocated < 0) allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
    running = false;
    sampler.interrupt();
  }

  /** Heap in use after the collection at the start. */
  public long usedBefore() {
    return usedBefore;
  }

  /** The highest heap use sampled while watching. */
  public long peakUsed() {
    return peak;
  }

  /** Bytes the starting thread allocated on the heap between start and close (garbage included). */
  public long allocatedBytes() {
    if (allocated < 0) throw new IllegalStateException("close() first");
    return allocated;
  }
}
