package dev.urae.batch.stages;

import dev.urae.infra.store.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A task's local scratch folder: tensors files are memory-mapped, so they are read from disk. */
public final class ScratchFiles implements AutoCloseable {
  private final Path dir;

  public ScratchFiles() throws IOException {
    this.dir = Files.createTempDirectory("urae-task-");
  }

  public Path path(String name) {
    return dir.resolve(name);
  }

  /** Copies an object from the store into the scratch folder. */
  public Path fetch(ObjectStore store, String key) throws IOException {
    Path file = dir.resolve(key.replace('/', '_'));
    store.getFile(key, file);
    return file;
  }

  @Override
  public void close() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
