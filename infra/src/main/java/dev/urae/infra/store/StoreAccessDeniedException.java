package dev.urae.infra.store;

import java.io.IOException;
import java.net.URI;

/** The store refused access to {@link #uri()}: check permissions (file mode, IAM policy). */
public class StoreAccessDeniedException extends IOException {
  private final URI uri;

  public StoreAccessDeniedException(URI uri, Throwable cause) {
    super("access denied: " + uri + " (check permissions)", cause);
    this.uri = uri;
  }

  public URI uri() {
    return uri;
  }
}
