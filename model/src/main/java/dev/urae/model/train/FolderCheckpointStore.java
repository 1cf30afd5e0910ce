package dev.urae.model.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoints in a local folder: {@code step-<N>/<file>} plus a {@code COMPLETE} marker
 * written last, so a checkpoint interrupted half-way is ignored.
 */
public final class FolderCheckpointStore implements CheckpointStore {
  private static final Pattern STEP = Pattern.compile("step-(\\d+)");
  private static final String COMPLETE = "COMPLETE";
  private final Path folder;

  public FolderCheckpointStore(Path folder) {
    this.folder = folder;
  }

  public Path folder() {
    return folder;
  }

  @Override
  public void save(TrainingCheckpoint checkpoint) throws IOException {
    Path dir = folder.resolve(String.format("step-%08d", checkpoint.step()));
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve(COMPLETE));
    for (Map.Entry<String, byte[]> e : checkpoint.files().entrySet()) Files.write(dir.resolve(e.getKey()), e.getValue());
    Files.writeString(dir.resolve(COMPLETE), Long.toString(checkpoint.step()));
  }

  @Override
  public Optional<TrainingCheckpoint> latest() throws IOException {
    if (!Files.isDirectory(folder)) return Optional.empty();
    Path best = null;
    long bestStep = -1;
    try (Stream<Path> dirs = Files.list(folder)) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        Matcher m = STEP.matcher(dir.getFileName().toString());
        if (!m.matches() || !Files.exists(dir.resolve(COMPLETE))) continue;
        long step = Long.parseLong(m.group(1));
        if (step > bestStep) {
          bestStep = step;
          best = dir;
        }
      }
    }
    if (best == null) return Optional.empty();
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (Stream<Path> entries = Files.list(best)) {
      for (Path f : (Iterable<Path>) entries::iterator) {
        String name = f.getFileName().toString();
        if (!name.equals(COMPLETE)) files.put(name, Files.readAllBytes(f));
      }
    }
    return Optional.of(new TrainingCheckpoint(bestStep, files));
  }
}
