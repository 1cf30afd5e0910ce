package dev.urae.model.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident memory on Linux, with a resettable high-water mark: writing 5 to
 * {@code /proc/self/clear_refs} resets VmHWM, so the peak of one measured step can be read as
 * {@code peak − resident before}. On CPU PyTorch allocates from the system allocator, so the
 * figure is the step's tensors (and little else).
 */
public final class ResidentMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private ResidentMemory() {}

  /** Whether this platform lets the peak be measured (Linux with a writable clear_refs). */
  public static boolean measurable() {
    return Files.isReadable(STATUS) && Files.isWritable(CLEAR_REFS);
  }

  /** Resets the high-water mark to the current resident size. */
  public static void resetPeak() {
    try {
      Files.writeString(CLEAR_REFS, "5");
    } catch (IOException e) {
      throw new IllegalStateException("cannot reset the peak through " + CLEAR_REFS + ": " + e.getMessage(), e);
    }
  }

  /** Resident bytes now (VmRSS). */
  public static long currentBytes() {
    return field("VmRSS:");
  }

  /** Resident high-water mark in bytes since the last {@link #resetPeak()} (VmHWM). */
  public static long peakBytes() {
    return field("VmHWM:");
  }

  /** Bytes the kernel could still hand out (MemAvailable of /proc/meminfo). */
  public static long availableBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemAvailable:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/meminfo: " + e.getMessage(), e);
    }
    throw new IllegalStateException("/proc/meminfo has no MemAvailable line");
  }

  private static long field(String name) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(name)) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + STATUS + ": " + e.getMessage(), e);
    }
    throw new IllegalStateException(STATUS + " has no " + name + " line");
  }

  /**
   * Whether freed tensors leave the resident set, so later peaks are not read low: glibc must
   * unmap every block above 64 KiB ({@code MALLOC_MMAP_THRESHOLD_=65536}); the {@code urae}
   * launcher's own default (32 MiB, for speed) keeps them.
   */
  public static boolean freedTensorsLeave() {
    String threshold = System.getenv("MALLOC_MMAP_THRESHOLD_");
    try {
      return threshold != null && Long.parseLong(threshold.trim()) <= 65536;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
