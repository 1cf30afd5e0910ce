package dev.urae.model.demo.study;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The study's finished arms, one JSON file each ({@code <folder>/<arm id>.json}), written
 * atomically: an interrupted study finds every arm that finished and runs only the rest. The
 * one writer and reader of these files.
 */
public final class ArmStore {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path folder;

  public ArmStore(Path folder) {
    this.folder = folder;
  }

  public Path folder() {
    return folder;
  }

  /** The stored result of {@code arm}, if one was finished with the same base weights. */
  public Optional<ArmResult> find(ArmSpec arm, String baseWeights) throws IOException {
    Path file = file(arm);
    if (!Files.exists(file)) return Optional.empty();
    ArmResult result;
    try {
      result = MAPPER.readValue(file.toFile(), ArmResult.class);
    } catch (IOException e) {
      throw new IOException(file + ": not a readable arm result (" + e.getMessage() + "); delete it to run the arm again", e);
    }
    return result.baseWeights().equals(baseWeights) ? Optional.of(result) : Optional.empty();
  }

  public void save(ArmSpec arm, ArmResult result) throws IOException {
    Files.createDirectories(folder);
    Path file = file(arm);
    Path temp = Files.createTempFile(folder, arm.id(), ".tmp");
    MAPPER.writeValue(temp.toFile(), result);
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private Path file(ArmSpec arm) {
    return folder.resolve(arm.id() + ".json");
  }
}
