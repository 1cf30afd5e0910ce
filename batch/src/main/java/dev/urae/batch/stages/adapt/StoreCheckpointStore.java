package dev.urae.batch.stages.adapt;

import dev.urae.batch.run.RunLayout;
import dev.urae.infra.store.ObjectInfo;
import dev.urae.infra.store.ObjectStore;
import dev.urae.model.train.CheckpointStore;
import dev.urae.model.train.TrainingCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Training checkpoints in the object store ({@code adapt/checkpoints/step-N/}), so a retried or
 * resumed task, on this machine or another, continues from the latest one. A checkpoint counts
 * only once its {@code COMPLETE} object exists, written after every file of it.
 */
final class StoreCheckpointStore implements CheckpointStore {
  private final ObjectStore store;
  private final String prefix;

  StoreCheckpointStore(ObjectStore store, String prefix) {
    this.store = store;
    this.prefix = prefix;
  }

  @Override
  public void save(TrainingCheckpoint checkpoint) throws IOException {
    String dir = prefix + String.format("step-%08d/", checkpoint.step());
    for (Map.Entry<String, byte[]> file : checkpoint.files().entrySet()) store.put(dir + file.getKey(), file.getValue());
    store.put(dir + "COMPLETE", Long.toString(checkpoint.step()).getBytes());
  }

  @Override
  public Optional<TrainingCheckpoint> latest() throws IOException {
    long best = -1;
    for (ObjectInfo object : store.list(prefix)) best = Math.max(best, RunLayout.completedCheckpoint(object.key()).orElse(-1));
    if (best < 0) return Optional.empty();
    String dir = prefix + String.format("step-%08d/", best);
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (ObjectInfo object : store.list(dir)) {
      String name = object.key().substring(dir.length());
      if (name.equals("COMPLETE")) continue;
      try (InputStream in = store.get(object.key())) {
        files.put(name, in.readAllBytes());
      }
    }
    return Optional.of(new TrainingCheckpoint(best, files));
  }
}
