package dev.urae.tests.terraform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A copy of the checkout's {@code terraform/} folder in a temporary directory, where Terraform
 * may write {@code .terraform/}, lock files, plans and state. Each configuration is initialised
 * once per JVM; the copy is deleted when the JVM exits.
 */
public final class TerraformWorkspace {
  private static TerraformWorkspace shared;

  private final TerraformCli terraform;
  private final Path root;
  private final Set<String> initialised = new HashSet<>();

  private TerraformWorkspace(TerraformCli terraform, Path root) {
    this.terraform = terraform;
    this.root = root;
  }

  public static synchronized TerraformWorkspace shared(TerraformCli terraform) {
    if (shared == null) {
      shared = new TerraformWorkspace(terraform, copyOf(RepositoryLayout.terraform()));
      Path root = shared.root;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root), "terraform-workspace-cleanup"));
    }
    return shared;
  }

  public Path root() {
    return root;
  }

  /** The copy of {@code terraform/<relative>}, initialised from the provider mirror. */
  public synchronized Path initialised(String relative) {
    Path dir = root.resolve(relative);
    if (initialised.add(relative)) {
      TerraformCli.Result init = terraform.run(dir, Map.of(), "init", "-backend=false", "-no-color");
      System.out.printf("[terraform] init %s: %d ms%n", relative, init.elapsed().toMillis());
    }
    return dir;
  }

  private static Path copyOf(Path source) {
    try {
      Path target = Files.createTempDirectory("urae-terraform-");
      try (Stream<Path> paths = Files.walk(source)) {
        for (Path path : (Iterable<Path>) paths::iterator) {
          Path relative = source.relativize(path);
          if (isLocalArtefact(relative)) continue;
          Path destination = target.resolve(relative.toString());
          if (Files.isDirectory(path)) {
            Files.createDirectories(destination);
          } else {
            Files.copy(path, destination);
          }
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("could not copy " + source + " to a temporary directory", e);
    }
  }

  // A developer's own init or apply in the checkout must not leak into the tests.
  private static boolean isLocalArtefact(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.equals(".terraform") || name.equals(".terraform.lock.hcl") || name.contains(".tfstate")) return true;
    }
    return false;
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // best effort at JVM exit
    }
  }
}
