package dev.urae.infra.store;

import java.io.FileNotFoundException;
import java.net.URI;

/** The object at {@link #uri()} does not exist. */
public class NoSuchObjectException extends FileNotFoundException {
  private final URI uri;

  public NoSuchObjectException(URI uri) {
    super("no such object: " + uri);
    this.uri = uri;
  }

  /** The object (or the version asked for) is gone, for the reason {@code message} gives. */
  public NoSuchObjectException(URI uri, String message) {
    super(message);
    this.uri = uri;
  }

  public URI uri() {
    return uri;
  }
}
