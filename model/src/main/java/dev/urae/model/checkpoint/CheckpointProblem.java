package dev.urae.model.checkpoint;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One thing wrong with a checkpoint: the file (or folder) it concerns, the tensor when there is
 * one, and what was expected.
 */
public record CheckpointProblem(Path file, String tensor, String problem) {
  public CheckpointProblem {
    Objects.requireNonNull(file, "file == null");
    Objects.requireNonNull(problem, "problem == null");
  }

  /** A problem that concerns a file or folder as a whole. */
  public static CheckpointProblem of(Path file, String problem) {
    return new CheckpointProblem(file, null, problem);
  }

  @Override
  public String toString() {
    return file + ": " + (tensor == null ? "" : "tensor '" + tensor + "': ") + problem;
  }
}
