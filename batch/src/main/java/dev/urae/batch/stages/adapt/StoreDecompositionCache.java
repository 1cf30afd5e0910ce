package dev.urae.batch.stages.adapt;

import dev.urae.infra.store.NoSuchObjectException;
import dev.urae.infra.store.ObjectStore;
import dev.urae.model.svd.DecompositionCache;
import dev.urae.model.svd.DecompositionKey;
import dev.urae.model.svd.SingularTriplets;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * SVD results in the store's shared cache ({@code cache/svd/}), keyed by the weight's digest and
 * the rank: a second run with the same base model does no decomposition at all.
 */
final class StoreDecompositionCache implements DecompositionCache {
  static final String PREFIX = "cache/svd/";
  private final ObjectStore store;

  StoreDecompositionCache(ObjectStore store) {
    this.store = store;
  }

  @Override
  public Optional<SingularTriplets> get(DecompositionKey key) {
    try (InputStream in = store.get(PREFIX + key.fileName() + ".svd")) {
      return Optional.of(SingularTriplets.fromBytes(in.readAllBytes()));
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cached decomposition " + store.uri(PREFIX + key.fileName()), e);
    }
  }

  @Override
  public void put(DecompositionKey key, SingularTriplets triplets) {
    try {
      store.put(PREFIX + key.fileName() + ".svd", triplets.toBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write cached decomposition " + store.uri(PREFIX + key.fileName()), e);
    }
  }
}
