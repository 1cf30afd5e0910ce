package dev.urae.model.svd;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A decomposition cache in the heap, for tests and single runs. */
public final class InMemoryDecompositionCache implements DecompositionCache {
  private final Map<DecompositionKey, byte[]> entries = new ConcurrentHashMap<>();

  @Override
  public Optional<SingularTriplets> get(DecompositionKey key) {
    byte[] bytes = entries.get(key);
    return bytes == null ? Optional.empty() : Optional.of(SingularTriplets.fromBytes(bytes));
  }

  @Override
  public void put(DecompositionKey key, SingularTriplets triplets) {
    entries.put(key, triplets.toBytes());
  }

  public int size() {
    return entries.size();
  }
}
