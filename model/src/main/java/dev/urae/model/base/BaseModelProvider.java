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

  /** The name runs use, e.g. {@code demo}, or the folder a checkpoint was found in. */
  String name();

  /** Names the weights {@link #load} would load: {@code sha256:<hex>}, or a word when not known yet. */
  String weightsDigest() throws IOException;

  /**
   * The multiple, in pixels, every image side must be: the codec's downsampling times FLUX's
   * 2×2 packing (16 for FLUX.1, 2 for the demo's pixel space). Known before loading, so a
   * launch can refuse a manifest item of another size before any task runs.
   */
  int pixelGrid();

  /** Whether the transformer takes a guidance input (guidance-distilled like FLUX.1-dev; not schnell). */
  boolean guidanceInput();

  /** The exact images of the prompts this model's world knows, when it knows any (the demo grammar). */
  default Optional<GroundTruth> groundTruth() {
    return Optional.empty();
  }

  /** Loads the model into a sub-manager of {@code manager}; {@code progress} hears long preparations. */
  BaseModel load(NDManager manager, PrintStream progress) throws IOException;
}
