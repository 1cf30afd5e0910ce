package dev.urae.batch.stages;

import dev.urae.infra.s3.S3ObjectStore;
import dev.urae.infra.store.ObjectStore;
import dev.urae.infra.store.ObjectStores;
import dev.urae.infra.weights.ModelCache;
import dev.urae.infra.weights.StagedWeights;
import dev.urae.infra.weights.WeightsListing;
import dev.urae.infra.weights.WeightsSource;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * by checksum), then loads the model from that local folder like any other.
 */
public final class RemoteCheckpoint {
  /** Config key (Spring relaxed binding {@code URAE_MODELCACHE}) of the local model cache folder. */
  public static final String CACHE_PROPERTY = "urae.model-cache";
  static final String CACHE_VARIABLE = "URAE_MODELCACHE";

  /** What every FLUX.1 diffusers checkpoint holds, beyond which the loader reports finer problems. */
  private static final List<String> COMPONENTS = List.of("transformer", "text_encoder", "text_encoder_2", "vae");

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
