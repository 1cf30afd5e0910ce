package dev.urae.model.svd;

import java.util.Optional;

/**
 * Where decompositions are kept between runs. A port: the model only needs get and put; the
 * pipeline backs it with the object store ({@code cache/svd/...}), tests and the CLI with
 * {@link InMemoryDecompositionCache} or {@link FolderDecompositionCache}. Implementations
 * must be safe to call from several threads.
 */
public interface DecompositionCache {
  Optional<SingularTriplets> get(DecompositionKey key);

  void put(DecompositionKey key, SingularTriplets triplets);

  /** A cache that keeps nothing: every request decomposes. */
  static DecompositionCache none() {
    return new DecompositionCache() {
      @Override
      public Optional<SingularTriplets> get(DecompositionKey key) {
        return Optional.empty();
      }

      @Override
      public void put(DecompositionKey key, SingularTriplets triplets) {}
    };
  }
}
