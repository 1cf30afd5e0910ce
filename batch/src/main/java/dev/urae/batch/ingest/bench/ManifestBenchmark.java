package dev.urae.batch.ingest.bench;

import dev.urae.batch.ingest.Ingest;
import dev.urae.batch.ingest.IngestSummary;
import dev.urae.batch.manifest.ItemDefaults;
import dev.urae.batch.manifest.ManifestScanner;
import dev.urae.batch.manifest.ManifestSource;
import dev.urae.batch.manifest.ValidationSummary;
import dev.urae.batch.run.RunLayout;
import dev.urae.infra.store.FileObjectStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Validation and ingest throughput on a generated manifest, beside {@code split -l 64} on the
 * same file (the floor for "cut a file into shards"), with the peak heap of each phase. Run it
 * under a small heap to show that memory does not grow with the manifest:
 * {@code URAE_JAVA_OPTS=-Xmx256m ./urae bench manifest}.
 */
public final class ManifestBenchmark {
  private static final String[] WORDS = {"red", "blue", "circle", "square", "striped", "tiny", "large", "left",
      "right", "on", "a", "the", "wooden", "background", "with", "thin", "lines", "sunset", "over", "mountains"};

  private ManifestBenchmark() {}

  public static void run(long lines, int shardSize, PrintStream out) throws Exception {
    Path dir = Files.createTempDirectory("urae-bench-manifest-");
    try {
      Path manifest = dir.resolve("manifest.jsonl");
      long bytes = generate(manifest, lines);
      out.printf("manifest: %,d lines, %.1f MB, shard size %d, max heap %d MB%n", lines, bytes / 1e6, shardSize,
          Runtime.getRuntime().maxMemory() >> 20);

      // warm the page cache and the JIT a little, as split gets the page cache too
      validate(manifest);

      resetPeaks();
      long start = System.nanoTime();
      ValidationSummary validated = validate(manifest);
      double validateSeconds = (System.nanoTime() - start) / 1e9;
      long validatePeak = peakHeap();

      FileObjectStore store = new FileObjectStore(dir.resolve("store"));
      resetPeaks();
      start = System.nanoTime();
      IngestSummary ingested = new Ingest(store, new RunLayout("bench"), shardSize, new ItemDefaults(1024, 1024))
          .run(ManifestSource.of(manifest.toString()), n -> {});
      double ingestSeconds = (System.nanoTime() - start) / 1e9;
      long ingestPeak = peakHeap();

      double splitSeconds = split(manifest, dir.resolve("split"), shardSize);

      out.printf("validate: %,d accepted, %,d rejected in %.2f s = %,.0f lines/s, peak heap %d MB%n",
          validated.accepted(), validated.rejected(), validateSeconds, lines / validateSeconds, validatePeak >> 20);
      out.printf("ingest:   %,d shards in %.2f s = %,.0f lines/s, peak heap %d MB%n",
          ingested.shards().size(), ingestSeconds, lines / ingestSeconds, ingestPeak >> 20);
      if (splitSeconds > 0) {
        out.printf("split -l %d: %.2f s = %,.0f lines/s; ingest runs at %.2f of split's speed (target >= 0.33)%n",
            shardSize, splitSeconds, lines / splitSeconds, splitSeconds / ingestSeconds);
      } else {
        out.println("split: not available on this machine");
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static ValidationSummary validate(Path manifest) throws IOException {
    try (InputStream in = Files.newInputStream(manifest)) {
      return new ManifestScanner(dev.urae.batch.manifest.ManifestFormat.JSONL, new ItemDefaults(1024, 1024))
          .scan(in, verdict -> {});
    }
  }

  /** Lines like real manifests: most with ids, some with captions, tags and sizes, 1 in 1000 bad. */
  private static long generate(Path file, long lines) throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (long i = 0; i < lines; i++) {
        StringBuilder prompt = new StringBuilder();
        for (int k = 0, n = 6 + random.nextInt(10); k < n; k++) prompt.append(k == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        if (i % 1000 == 999) {
          w.write("{\"promt\":\"" + prompt + "\"}\n");
          continue;
        }
        w.write("{\"id\":\"item-" + i + "\",\"prompt\":\"" + prompt + "\"");
        if (i % 3 == 0) w.write(",\"generated_prompt\":\"a detailed photo: " + prompt + "\"");
        if (i % 5 == 0) w.write(",\"seed\":" + random.nextLong(Long.MAX_VALUE) + ",\"width\":2048,\"height\":2048");
        if (i % 7 == 0) w.write(",\"tags\":{\"set\":\"bench\"}");
        w.write("}\n");
      }
    }
    return Files.size(file);
  }

  private static double split(Path manifest, Path target, int shardSize) throws IOException, InterruptedException {
    Files.createDirectories(target);
    long start = System.nanoTime();
    try {
      Process p = new ProcessBuilder("split", "-l", String.valueOf(shardSize), "-a", "6", manifest.toString(),
          target.resolve("shard-").toString()).inheritIO().start();
      if (p.waitFor() != 0) return -1;
    } catch (IOException noSplit) {
      return -1;
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
    }
  }

  private static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
    }
    return peak;
  }
}
