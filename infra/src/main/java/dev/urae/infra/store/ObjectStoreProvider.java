package dev.urae.infra.store;

import java.io.IOException;
import java.net.URI;

/**
 * A store for one URI scheme, found through {@link java.util.ServiceLoader} so that every
 * process (the CLI, the Spring app, a worker container) opens {@code s3://} roots without
 * registering anything first. {@link ObjectStores#register} still takes precedence.
 */
public interface ObjectStoreProvider {
  /** The scheme served, e.g. {@code s3}. */
  String scheme();

  ObjectStore open(URI root) throws IOException;
}
