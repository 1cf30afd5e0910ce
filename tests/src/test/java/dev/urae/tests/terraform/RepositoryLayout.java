package dev.urae.tests.terraform;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the checkout's top-level folders are, found upward from the test's working directory. */
public final class RepositoryLayout {
  private RepositoryLayout() {}

  /** The checkout root: the nearest ancestor holding both {@code pom.xml} and {@code terraform/}. */
  public static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
      if (Files.isRegularFile(candidate.resolve("pom.xml")) && Files.isDirectory(candidate.resolve("terraform"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no checkout root (pom.xml + terraform/) above " + dir);
  }

  public static Path terraform() {
    return root().resolve("terraform");
  }

  public static Path containers() {
    return root().resolve("containers");
  }
}
