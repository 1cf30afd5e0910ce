package dev.urae.model.text;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * A prompt's conditioning: per-token embeddings {@code sequence [L, D_txt]} (T5 in FLUX) and a
 * pooled vector {@code pooled [D_pool]} (CLIP in FLUX). Batch them with {@code stack(…, 0)}.
 */
public record TextEmbedding(NDArray sequence, NDArray pooled) {
  public TextEmbedding {
    Objects.requireNonNull(sequence, "sequence == null");
    Objects.requireNonNull(pooled, "pooled == null");
    if (sequence.getShape().dimension() != 2) throw new IllegalArgumentException("sequence must be [L, D], got " + sequence.getShape());
    if (pooled.getShape().dimension() != 1) throw new IllegalArgumentException("pooled must be [D], got " + pooled.getShape());
  }
}
