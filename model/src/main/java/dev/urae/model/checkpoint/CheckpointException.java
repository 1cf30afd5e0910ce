package dev.urae.model.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A checkpoint that cannot be used; lists every problem found, so one attempt shows everything to fix. */
public final class CheckpointException extends IOException {
  private final List<CheckpointProblem> problems;

  public CheckpointException(Path checkpoint, List<CheckpointProblem> problems) {
    super(describe(checkpoint, problems));
    if (problems.isEmpty()) throw new IllegalArgumentException("problems is empty");
    this.problems = List.copyOf(problems);
  }

  /** Every problem, in the order found. */
  public List<CheckpointProblem> problems() {
    return problems;
  }

  private static String describe(Path checkpoint, List<CheckpointProblem> problems) {
    StringBuilder b = new StringBuilder(checkpoint + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems"));
    for (CheckpointProblem p : problems) b.append("\n  - ").append(p);
    return b.toString();
  }
}
