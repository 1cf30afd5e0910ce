package dev.urae.model.base;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;

/**
 * One base model implementation, found by {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/dev.urae.model.base.BaseModelProvider}), so that this package never
 * depends on an implementation.
 */
public interface BaseModelProvider {

  /** The name runs use, e.g. {@code demo}. */
  String name();

  /** Names the weights {@link #load} would load: {@code sha256:<hex>}, or a word when not known yet. */
  String weightsDigest() throws IOException;

  /** The exact images of the prompts this model's world knows, when it knows any (the demo grammar). */
  default Optional<GroundTruth> groundTruth() {
    return Optional.empty();
  }

  /** Loads the model into a sub-manager of {@code manager}; {@code progress} hears long preparations. */
  BaseModel load(NDManager manager, PrintStream progress) throws IOException;
}
