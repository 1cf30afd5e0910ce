package dev.urae.model.tensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A checkpoint that does not fit a model. Lists every missing, unexpected and mis-shaped
 * tensor at once, so one attempt shows everything to fix.
 */
public final class WeightMismatchException extends IOException {
  private final List<String> missing;
  private final List<String> unexpected;
  private final List<String> misshaped;

  public WeightMismatchException(Path file, List<String> missing, List<String> unexpected, List<String> misshaped) {
    super(describe(file, missing, unexpected, misshaped));
    this.missing = List.copyOf(missing);
    this.unexpected = List.copyOf(unexpected);
    this.misshaped = List.copyOf(misshaped);
  }

  /** Names the model needs that the file lacks. */
  public List<String> missing() {
    return missing;
  }

  /** Names in the file the model does not have. */
  public List<String> unexpected() {
    return unexpected;
  }

  /** "name: file [a, b], model [c, d]" for each tensor whose shape differs. */
  public List<String> misshaped() {
    return misshaped;
  }

  private static String describe(Path file, List<String> missing, List<String> unexpected, List<String> misshaped) {
    StringBuilder b = new StringBuilder(file + ": checkpoint does not match the model:");
    if (!missing.isEmpty()) b.append(' ').append(missing.size()).append(" missing ").append(missing).append(';');
    if (!unexpected.isEmpty()) b.append(' ').append(unexpected.size()).append(" unexpected ").append(unexpected).append(';');
    if (!misshaped.isEmpty()) b.append(' ').append(misshaped.size()).append(" mis-shaped ").append(misshaped).append(';');
    b.setLength(b.length() - 1);
    return b.toString();
  }
}
