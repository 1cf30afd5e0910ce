package dev.urae.infra.store;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens the store for a root URI. {@code file:} roots (and plain paths) are built in; other
 * schemes ({@code s3:}) are registered by the module that implements them, so callers never
 * depend on a particular store.
 */
public final class ObjectStores {
  /** Opens a store for one scheme's root URI. */
  @FunctionalInterface
  public interface Opener {
    ObjectStore open(URI root) throws IOException;
  }

  private static final Map<String, Opener> OPENERS = new ConcurrentHashMap<>();

  private ObjectStores() {}

  public static void register(String scheme, Opener opener) {
    OPENERS.put(scheme, opener);
  }

  /** Opens the store rooted at {@code root}: a path, {@code file:///dir/} or a registered scheme. */
  public static ObjectStore open(String root) throws IOException {
    if (root.contains("://") || root.startsWith("file:")) return open(URI.create(root));
    return new FileObjectStore(Path.of(root));
  }

  public static ObjectStore open(URI root) throws IOException {
    String scheme = root.getScheme();
    if (scheme == null || scheme.equals("file")) {
      return new FileObjectStore(scheme == null ? Path.of(root.getPath()) : Path.of(root));
    }
    Opener opener = OPENERS.get(scheme);
    if (opener == null) {
      discoverProviders();
      opener = OPENERS.get(scheme);
    }
    if (opener == null) {
      throw new IllegalArgumentException(
          "no object store for scheme '" + scheme + "' (known: file" + known() + "): " + root);
    }
    return opener.open(root);
  }

  /** Adds the {@link ObjectStoreProvider}s on the class path, without replacing registered openers. */
  private static synchronized void discoverProviders() {
    for (ObjectStoreProvider provider : java.util.ServiceLoader.load(ObjectStoreProvider.class)) {
      OPENERS.putIfAbsent(provider.scheme(), provider::open);
    }
  }

  private static String known() {
    return OPENERS.keySet().stream().sorted().map(s -> ", " + s).reduce("", String::concat);
  }

}
