package dev.urae.batch.stages;

import dev.urae.infra.s3.S3ObjectStore;
import dev.urae.infra.store.ObjectStore;
import dev.urae.infra.store.ObjectStores;
import dev.urae.infra.weights.ModelCache;
import dev.urae.infra.weights.StagedWeights;
import dev.urae.infra.weights.WeightsFile;
import dev.urae.infra.weights.WeightsListing;
import dev.urae.infra.weights.WeightsSource;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A base model whose checkpoint lies under an S3 prefix ({@code --model s3://bucket/prefix/}).
 *
 * <p>At launch the orchestrator lists the prefix, refuses one that does not hold a FLUX.1
 * checkpoint in the diffusers layout, and records the listing's digest (paths, sizes, ETags: no
 * content is read). A worker lists again, refuses when the digest differs from the recorded one,
 * and stages the files into the instance's {@link ModelCache} (copied once per instance, verified
 * by checksum), then loads the model from that local folder like any other. The launch also
 * runs the local checks on the checkpoint's configs and headers ({@link #readForLaunch}).
 */
public final class RemoteCheckpoint {
  /** Config key (Spring relaxed binding {@code URAE_MODELCACHE}) of the local model cache folder. */
  public static final String CACHE_PROPERTY = "urae.model-cache";
  static final String CACHE_VARIABLE = "URAE_MODELCACHE";

  /** What every FLUX.1 diffusers checkpoint holds, beyond which the loader reports finer problems. */
  private static final List<String> COMPONENTS = List.of("transformer", "text_encoder", "text_encoder_2", "vae");

  /** Other files than safetensors up to this size are read whole at launch (tokenizer files: T5's tokenizer.json is 2.4 MB). */
  static final long WHOLE_FILE_LIMIT = 16L << 20;
  /** The safetensors format's header limit (the reader refuses larger ones with its own message). */
  private static final long MAX_HEADER = 100L << 20;

  private final URI prefix;

  private RemoteCheckpoint(URI prefix) {
    this.prefix = prefix;
  }

  /** Whether the model option names a remote checkpoint. */
  public static boolean isRemote(String model) {
    return model != null && model.startsWith("s3://");
  }

  /** The checkpoint under {@code model} ({@code s3://bucket/prefix}, a trailing slash added). */
  public static RemoteCheckpoint of(String model) {
    if (!isRemote(model)) throw new IllegalArgumentException("not an s3:// model: " + model);
    String text = model.endsWith("/") ? model : model + "/";
    URI uri;
    try {
      uri = URI.create(text.replace(" ", "%20"));
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null || uri.getHost() == null || !uri.getHost().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new IllegalArgumentException("pipeline option model: not an S3 prefix (expected s3://bucket/prefix/): " + model);
    }
    return new RemoteCheckpoint(uri);
  }

  /**
   * Lists the prefix and checks its layout.
   *
   * @throws IllegalArgumentException naming the prefix and every missing part
   */
  public WeightsListing list() throws IOException {
    try (ObjectStore store = ObjectStores.open(prefix)) {
      WeightsListing listing = weights(store).list();
      List<String> missing = missing(listing.paths());
      if (listing.files().isEmpty()) {
        throw new IllegalArgumentException("pipeline option model: " + prefix + " holds no objects: check the bucket and prefix");
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("pipeline option model: " + prefix + " is not a FLUX.1 checkpoint in the diffusers layout; missing "
            + String.join(", ", missing) + " (upload the whole folder, e.g. aws s3 sync FLUX.1-dev/ " + prefix + ")");
      }
      return listing;
    }
  }

  /**
   * Writes into {@code folder} what the launch checks read of this checkpoint, without its
   * weights: every listed file at its listed size, with of each safetensors file its header (two
   * ranged reads), and the content of JSON files and of other files up to {@link
   * #WHOLE_FILE_LIMIT} (configs, indexes, tokenizers); the rest of a file is a hole (sparse on disk). The local
   * checkpoint reader then checks the folder exactly as it checks a local one: layout, components,
   * headers against the listed sizes, configs, and the facts the run needs (pixel grid, guidance
   * input, shapes for the memory plan). Returns the listing read.
   */
  public WeightsListing readForLaunch(Path folder) throws IOException {
    WeightsListing listing = list();
    try (ObjectStore store = ObjectStores.open(prefix)) {
      WeightsSource source = weights(store);
      for (WeightsFile file : listing.files()) {
        Path target = folder.resolve(file.path());
        Files.createDirectories(target.getParent());
        byte[] known;
        if (file.path().endsWith(".safetensors")) {
          known = safetensorsHeader(source, file);
        } else if (file.size() <= WHOLE_FILE_LIMIT || file.path().endsWith(".json")) {
          known = source.read(file, 0, Math.toIntExact(file.size()));
        } else {
          known = new byte[0];
        }
        try (RandomAccessFile out = new RandomAccessFile(target.toFile(), "rw")) {
          out.write(known);
          out.setLength(file.size());
        }
      }
    }
    return listing;
  }

  /** The 8-byte length and the JSON header of a safetensors file; what a bad length says is left to the reader. */
  private byte[] safetensorsHeader(WeightsSource source, WeightsFile file) throws IOException {
    if (file.size() < 8) return source.read(file, 0, (int) file.size()); // the reader says it is truncated
    byte[] length = source.read(file, 0, 8);
    long headerLength = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLength <= 0 || headerLength > Math.min(MAX_HEADER, file.size() - 8)) return length;
    byte[] header = source.read(file, 8, (int) headerLength);
    byte[] both = Arrays.copyOf(length, 8 + header.length);
    System.arraycopy(header, 0, both, 8, header.length);
    return both;
  }

  /**
   * Lists the prefix again and stages its files into the model cache; returns the local folder.
   *
   * @throws IllegalStateException when the prefix's listing no longer has {@code expectedDigest}
   */
  public Path stage(String expectedDigest, Map<String, String> environment) throws IOException {
    try (ObjectStore store = ObjectStores.open(prefix)) {
      WeightsSource source = weights(store);
      WeightsListing listing = source.list();
      if (expectedDigest != null && !expectedDigest.equals(listing.digest())) {
        throw new IllegalStateException("the checkpoint under " + prefix + " now has weights " + listing.digest()
            + " but the run was launched with " + expectedDigest
            + ": it was uploaded again after launch; launch a new run to use the new weights");
      }
      StagedWeights staged = new ModelCache(cacheRoot(environment)).stage(source, listing);
      return staged.folder();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while staging " + prefix);
    }
  }

  private WeightsSource weights(ObjectStore store) {
    if (store instanceof S3ObjectStore s3) return s3.weights();
    throw new IllegalStateException("the object store for " + prefix + " is " + store + ", not S3");
  }

  /**
   * The model cache folder: {@code -Durae.model-cache}, else {@code URAE_MODELCACHE}, else
   * {@code <java.io.tmpdir>/urae-model-cache} (on AWS GPU instances {@code java.io.tmpdir} is the
   * NVMe instance store, shared by every task on the instance).
   */
  public static Path cacheRoot(Map<String, String> environment) {
    String configured = System.getProperty(CACHE_PROPERTY);
    if (configured == null || configured.isBlank()) configured = environment.get(CACHE_VARIABLE);
    if (configured != null && !configured.isBlank()) return Path.of(configured);
    return Path.of(System.getProperty("java.io.tmpdir"), "urae-model-cache");
  }

  /** The parts of the diffusers layout absent from {@code paths}. */
  static List<String> missing(Set<String> paths) {
    List<String> missing = new ArrayList<>();
    if (!paths.contains("model_index.json")) missing.add("model_index.json");
    for (String component : COMPONENTS) {
      if (!paths.contains(component + "/config.json")) missing.add(component + "/config.json");
      boolean weights = paths.stream().anyMatch(p -> p.startsWith(component + "/") && p.endsWith(".safetensors"));
      if (!weights) missing.add(component + "/*.safetensors");
    }
    return missing;
  }

  @Override
  public String toString() {
    return prefix.toString();
  }
}
