package dev.urae.batch.ingest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.urae.batch.json.Json;
import dev.urae.batch.manifest.ItemDefaults;
import dev.urae.batch.manifest.LineVerdict;
import dev.urae.batch.manifest.ManifestItem;
import dev.urae.batch.manifest.ManifestScanner;
import dev.urae.batch.manifest.ManifestSource;
import dev.urae.batch.manifest.ValidationSummary;
import dev.urae.batch.run.RunLayout;
import dev.urae.infra.store.ObjectInfo;
import dev.urae.infra.store.ObjectStore;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * The ingest stage's work: keeps a copy of the manifest as received, validates it line by line,
 * writes the accepted items as shards of a fixed size and every rejected line (number and
 * reason) to {@code rejects.jsonl}, then a summary whose presence marks ingest as finished.
 * It streams: memory does not grow with the manifest (rejects spill to a temporary file).
 */
public final class Ingest {
  private final ObjectStore store;
  private final RunLayout layout;
  private final int shardSize;
  private final ItemDefaults defaults;
  private final String set;

  public Ingest(ObjectStore store, RunLayout layout, int shardSize, ItemDefaults defaults) {
    this(store, layout, shardSize, defaults, RunLayout.MAIN_SET);
  }

  /** An ingest of one input set ({@link RunLayout#MAIN_SET}, or {@link RunLayout#RENDER_SET} for render-only prompts). */
  public Ingest(ObjectStore store, RunLayout layout, int shardSize, ItemDefaults defaults, String set) {
    if (shardSize < 1) throw new IllegalArgumentException("shard size < 1: " + shardSize);
    this.store = store;
    this.layout = layout;
    this.shardSize = shardSize;
    this.defaults = defaults;
    this.set = set;
  }

  /**
   * Ingests {@code source}.
   *
   * @param progress hears the number of lines read so far, every 10,000 lines
   */
  public IngestSummary run(ManifestSource source, LongConsumer progress) throws IOException {
    String copyKey = layout.manifestCopy(set, source.format().extension());
    // A launched run's copy is already in the store (RunService took it, the bytes the run id
    // was computed from): scan that, never the source again. Otherwise the copy as received is
    // written while the manifest is validated: two reads, one pass of time.
    Optional<ObjectInfo> taken = store.stat(copyKey);
    CompletableFuture<ObjectInfo> copying = taken.isPresent() ? CompletableFuture.completedFuture(taken.get())
        : CompletableFuture.supplyAsync(() -> {
          try (InputStream in = source.open()) {
            return store.put(copyKey, in);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    Path rejectsFile = Files.createTempFile("urae-rejects-", ".jsonl");
    try (ShardWriter shards = new ShardWriter();
        OutputStream rejectsOut = new BufferedOutputStream(Files.newOutputStream(rejectsFile), 1 << 16);
        JsonGenerator rejects = Json.MAPPER.getFactory().createGenerator(rejectsOut, JsonEncoding.UTF8);
        InputStream manifest = taken.isPresent() ? store.get(copyKey) : source.open()) {
      rejects.setRootValueSeparator(null);
      ManifestScanner scanner = new ManifestScanner(source.format(), defaults);
      ValidationSummary summary = scanner.scan(manifest, verdict -> {
        if (verdict instanceof LineVerdict.Accepted a) {
          shards.add(a.item());
        } else if (verdict instanceof LineVerdict.Rejected r) {
          rejects.writeStartObject();
          rejects.writeNumberField("line", r.line());
          rejects.writeStringField("reason", r.reason());
          rejects.writeEndObject();
          rejects.writeRaw('\n');
        }
        if (verdict.line() % 10_000 == 0) progress.accept(verdict.line());
      });
      shards.finish();
      rejects.close();
      store.putFile(layout.rejects(set), rejectsFile);
      ObjectInfo copy = awaitCopy(copying);
      IngestSummary result = new IngestSummary(
          source.name(), copy.sha256(), copy.size(), summary.lines(), summary.accepted(),
          summary.rejected(), summary.blank(), shardSize, shards.names(), layout.rejects(set));
      store.put(layout.ingestSummary(set), Json.MAPPER.writeValueAsBytes(result));
      return result;
    } finally {
      Files.deleteIfExists(rejectsFile);
    }
  }

  private static ObjectInfo awaitCopy(CompletableFuture<ObjectInfo> copying) throws IOException {
    try {
      return copying.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
      throw cause instanceof IOException io ? io : new IOException("copying the manifest failed", cause);
    }
  }

  /** Reads the summary of a finished ingest, or null when ingest has not finished. */
  public static IngestSummary readSummary(ObjectStore store, RunLayout layout) throws IOException {
    return readSummary(store, layout, RunLayout.MAIN_SET);
  }

  public static IngestSummary readSummary(ObjectStore store, RunLayout layout, String set) throws IOException {
    if (!store.exists(layout.ingestSummary(set))) return null;
    try (InputStream in = store.get(layout.ingestSummary(set))) {
      return Json.MAPPER.readValue(in, IngestSummary.class);
    }
  }

  /**
   * Collects accepted items into shards of {@code shardSize} and writes each when full. Writes
   * run on background threads, so parsing the next shard overlaps storing the last one; at
   * most {@value #SHARDS_IN_FLIGHT} shards wait in memory, which keeps memory flat.
   */
  private final class ShardWriter implements AutoCloseable {
    private static final int SHARDS_IN_FLIGHT = 16;
    /** Writing a shard is mostly file-system calls, so two writers overlap well even on two cores. */
    private static final int WRITERS = 2;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);
    private final List<String> names = new ArrayList<>();
    private final ExecutorService writer = Executors.newFixedThreadPool(WRITERS, r -> {
      Thread t = new Thread(r, "urae-ingest-writer");
      t.setDaemon(true);
      return t;
    });
    private final Semaphore inFlight = new Semaphore(SHARDS_IN_FLIGHT);
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private JsonGenerator json;
    private int inShard;

    void add(ManifestItem item) throws IOException {
      if (json == null) {
        json = Json.MAPPER.getFactory().createGenerator(buffer, JsonEncoding.UTF8);
        json.setRootValueSeparator(null);
      }
      ManifestItems.write(json, item);
      json.writeRaw('\n');
      if (++inShard == shardSize) flushShard();
    }

    void finish() throws IOException {
      if (inShard > 0) flushShard();
      inFlight.acquireUninterruptibly(SHARDS_IN_FLIGHT); // every write has ended
      inFlight.release(SHARDS_IN_FLIGHT);
      throwIfFailed();
    }

    private void throwIfFailed() throws IOException {
      IOException e = failure.get();
      if (e != null) throw new IOException("writing a shard failed: " + e.getMessage(), e);
    }

    private void flushShard() throws IOException {
      json.flush();
      byte[] shard = buffer.toByteArray();
      String key = layout.shard(set, names.size());
      names.add(RunLayout.shardName(set, names.size()));
      buffer.reset();
      inShard = 0;
      throwIfFailed();
      inFlight.acquireUninterruptibly();
      writer.execute(() -> {
        try {
          store.put(key, shard);
        } catch (IOException e) {
          failure.compareAndSet(null, e);
        } finally {
          inFlight.release();
        }
      });
    }

    List<String> names() {
      return List.copyOf(names);
    }

    @Override
    public void close() throws IOException {
      writer.shutdownNow();
      if (json != null) json.close();
    }
  }
}
