package dev.urae.model.svd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A decomposition cache in a local folder, one {@code <sha256>-r<rank>.svd} file per entry,
 * written to a temporary name and moved into place so a reader never sees half a file.
 */
public final class FolderDecompositionCache implements DecompositionCache {
  private final Path folder;

  public FolderDecompositionCache(Path folder) {
    this.folder = folder;
  }

  @Override
  public Optional<SingularTriplets> get(DecompositionKey key) {
    Path file = folder.resolve(key.fileName() + ".svd");
    try {
      return Optional.of(SingularTriplets.fromBytes(Files.readAllBytes(file)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cached decomposition " + file, e);
    }
  }

  @Override
  public void put(DecompositionKey key, SingularTriplets triplets) {
    Path file = folder.resolve(key.fileName() + ".svd");
    try {
      Files.createDirectories(folder);
      Path temporary = Files.createTempFile(folder, key.fileName(), ".part");
      Files.write(temporary, triplets.toBytes());
      try {
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write cached decomposition " + file, e);
    }
  }
}
