package dev.urae.batch.manifest;

import dev.urae.infra.store.NoSuchObjectException;
import dev.urae.infra.store.ObjectLocation;
import dev.urae.infra.store.ObjectStore;
import dev.urae.infra.store.ObjectStores;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A manifest named by the user (a path or a URI), opened through the object-store port so that
 * {@code s3://} manifests work like local ones. Unreadable inputs fail with a message naming
 * the path and the reason.
 */
public final class ManifestSource {
  private final String name;
  private final ObjectLocation location;
  private final String versionId;
  private final String eTag;

  private ManifestSource(String name, ObjectLocation location, String versionId, String eTag) {
    this.name = name;
    this.location = location;
    this.versionId = versionId;
    this.eTag = eTag;
  }

  /**
   * One version of an uploaded {@code s3://} manifest, as its upload event named it: by
   * {@code versionId}, else by {@code eTag}. A later upload to the same key does not change
   * what this source reads.
   */
  public static ManifestSource version(String name, String versionId, String eTag) {
    ManifestSource current = of(name);
    return new ManifestSource(name, current.location, versionId, eTag);
  }

  /** Parses and checks what the user typed; throws {@link UnreadableManifestException}. */
  public static ManifestSource of(String name) {
    ObjectLocation location;
    try {
      location = ObjectLocation.parse(name);
    } catch (IllegalArgumentException e) {
      throw new UnreadableManifestException(name + ": " + e.getMessage(), e);
    }
    if (!location.isS3()) {
      Path path = Path.of(location.uri());
      if (Files.isDirectory(path)) throw new UnreadableManifestException(name + ": is a directory, not a manifest file");
      if (!Files.exists(path)) throw new UnreadableManifestException(name + ": no such file");
      if (!Files.isReadable(path)) throw new UnreadableManifestException(name + ": permission denied (cannot read)");
    }
    return new ManifestSource(name, location, null, null);
  }

  /** The name as the user gave it, for messages such as {@code prompts.jsonl:12: reason}. */
  public String name() {
    return name;
  }

  public ObjectLocation location() {
    return location;
  }

  public ManifestFormat format() {
    return ManifestFormat.of(location.key());
  }

  /** Opens the manifest's bytes; the caller closes the stream (which closes the store too). */
  public InputStream open() throws IOException {
    ObjectStore store = ObjectStores.open(location.storeRoot());
    try {
      InputStream in = store.get(location.key(), versionId, eTag);
      return new java.io.FilterInputStream(in) {
        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            store.close();
          }
        }
      };
    } catch (NoSuchObjectException e) {
      store.close();
      // The watcher tells a gone manifest (poison message) from other failures by this cause.
      throw new UnreadableManifestException(name + ": " + (versionId == null && eTag == null ? "no such object" : e.getMessage()), e);
    } catch (IOException | RuntimeException e) {
      store.close();
      throw new UnreadableManifestException(name + ": " + e.getMessage(), e);
    }
  }

  /** The manifest could not be read at all (as opposed to lines of it being rejected). */
  public static final class UnreadableManifestException extends RuntimeException {
    public UnreadableManifestException(String message, Throwable cause) {
      super(message, cause);
    }

    public UnreadableManifestException(String message) {
      super(message);
    }
  }
}
