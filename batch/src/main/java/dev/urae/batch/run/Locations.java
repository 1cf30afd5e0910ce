package dev.urae.batch.run;

import java.net.URI;
import java.nio.file.Path;

/** How object locations are shown to people: local files as paths, the rest as URIs. */
public final class Locations {
  private Locations() {}

  public static String display(URI uri) {
    return "file".equals(uri.getScheme()) ? Path.of(uri).toString() : uri.toString();
  }
}
