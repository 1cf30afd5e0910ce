package dev.urae.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.text.TextEmbedding;
import java.util.Optional;

/**
 * One training example as the trainer sees it: latents (or an image through an identity
 * codec), the two captions, and optionally cached text features, so the pipeline can feed
 * features computed once per item.
 */
public interface TrainingItem {
  /** Stable identifier, for messages. */
  String id();

  /** The short user prompt. */
  String prompt();

  /** The detailed caption (URAE's {@code generated_prompt}). */
  String generatedPrompt();

  /** Latents {@code [C, h, w]} (h, w even) before 2×2 packing, created in {@code manager}. */
  NDArray latents(NDManager manager);

  /**
   * The latents one training step trains on: for an item cached as a posterior, a fresh draw
   * {@code mean + std·ε} with ε from {@code random} (URAE draws anew every step); items with
   * fixed latents return {@link #latents} and draw nothing, so their runs draw what they always did.
   */
  default NDArray sampleLatents(NDManager manager, SeededRandom random) {
    return latents(manager);
  }

  /**
   * Cached text features for the prompt ({@code generated == false}) or the generated prompt,
   * created in {@code manager}; empty when the trainer must encode the text itself.
   */
  default Optional<TextEmbedding> textFeatures(boolean generated, NDManager manager) {
    return Optional.empty();
  }
}
