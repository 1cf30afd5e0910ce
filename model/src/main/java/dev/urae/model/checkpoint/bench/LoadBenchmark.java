package dev.urae.model.checkpoint.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.urae.model.checkpoint.ByteRange;
import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.checkpoint.DeviceOption;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.checkpoint.StoredTensor;
import dev.urae.model.checkpoint.TensorLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code urae bench load}: loads every tensor of a checkpoint's components onto a device with
 * {@link TensorLoader} and prints the throughput beside {@code cat FILE > /dev/null} on the same
 * files, plus the Java heap before and at its peak while loading and the bytes the loading
 * thread allocated. {@code cat} runs first, twice,
 * so both sides read from a warm page cache (the second {@code cat} is the figure); the first
 * {@code cat} shows the cold read when the files were not cached.
 */
public final class LoadBenchmark {
  private final Path checkpoint;
  private final Device device;
  private final int threads;

  /** {@code threads}: PyTorch intra-op threads (1 on a busy machine, where parallel copies wait for cores). */
  public LoadBenchmark(Path checkpoint, Device device, int threads) {
    if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    this.checkpoint = checkpoint;
    this.device = device;
    this.threads = threads;
  }

  /** Runs and prints; returns the load throughput in bytes per second. */
  public double run(PrintStream out) throws IOException, InterruptedException {
    Checkpoint c = Checkpoint.open(checkpoint);
    ai.djl.engine.Engine.getEngine("PyTorch");
    ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    Set<Path> files = new LinkedHashSet<>();
    long bytes = 0;
    int tensors = 0;
    for (Component component : c.components().values()) {
      for (StoredTensor t : component.tensors().all()) {
        for (ByteRange r : t.ranges()) files.add(r.file());
        bytes += t.byteLength();
        tensors++;
      }
    }
    out.printf(Locale.ROOT, "checkpoint %s: %s, %d tensors in %d file(s), %,d bytes; device %s, %d PyTorch thread(s)%n",
        checkpoint, c.layout().description(), tensors, files.size(), bytes, DeviceOption.name(device), threads);
    double cold = cat(files);
    double warm = cat(files);
    out.printf(Locale.ROOT, "cat FILE > /dev/null   first %6.2f s (%5.2f GB/s)   again %6.2f s (%5.2f GB/s)%n", cold, bytes / cold / 1e9, warm, bytes / warm / 1e9);

    try (NDManager warmUp = NDManager.newBaseManager(device)) {
      // Engine, bf16 module and JIT start-up stay out of the timing.
      for (Component component : c.components().values()) {
        if (!component.tensors().isEmpty()) TensorLoader.load(component.tensors().all().iterator().next(), warmUp, device);
      }
    }
    HeapWatch heap = HeapWatch.start();
    long start = System.nanoTime();
    try (NDManager manager = NDManager.newBaseManager(device)) {
      for (Component component : c.components().values()) {
        for (StoredTensor t : component.tensors().all()) TensorLoader.load(t, manager, device);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      heap.close();
      out.printf(Locale.ROOT, "TensorLoader.load      %6.2f s (%5.2f GB/s, %.2f× cat's warm time), stored dtypes kept%n", seconds, bytes / seconds / 1e9, seconds / warm);
      out.printf(Locale.ROOT, "Java heap              %.1f MB before, %.1f MB peak while loading (+%.1f MB); the loading thread allocated %.2f MB"
          + " (%.0f bytes per tensor) for %.2f GB loaded%n",
          heap.usedBefore() / 1e6, heap.peakUsed() / 1e6, (heap.peakUsed() - heap.usedBefore()) / 1e6, heap.allocatedBytes() / 1e6,
          (double) heap.allocatedBytes() / tensors, bytes / 1e9);
      return bytes / seconds;
    }
  }

  private static double cat(Set<Path> files) throws IOException, InterruptedException {
    long start = System.nanoTime();
    for (Path f : files) {
      Process p = new ProcessBuilder("cat", f.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
      if (p.waitFor() != 0) throw new IOException("cat " + f + " failed with exit code " + p.exitValue());
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
