package dev.urae.model.train;

import java.io.IOException;
import java.util.Optional;

/**
 * Where training checkpoints are kept. A port: the model knows nothing of object stores; the
 * pipeline backs it with {@code runs/<runId>/adapt/checkpoints/}, tests and the CLI with
 * {@link FolderCheckpointStore}. {@link #save} must be atomic per checkpoint: {@link #latest}
 * never returns a half-written one.
 */
public interface CheckpointStore {
  void save(TrainingCheckpoint checkpoint) throws IOException;

  /** The checkpoint with the highest step, if any. */
  Optional<TrainingCheckpoint> latest() throws IOException;

  /** A store that keeps nothing (no resume). */
  static CheckpointStore none() {
    return new CheckpointStore() {
      @Override
      public void save(TrainingCheckpoint checkpoint) {}

      @Override
      public Optional<TrainingCheckpoint> latest() {
        return Optional.empty();
      }
    };
  }
}
