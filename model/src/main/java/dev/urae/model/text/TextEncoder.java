package dev.urae.model.text;

import ai.djl.ndarray.NDManager;

/** Turns a prompt into the transformer's text conditioning. */
public interface TextEncoder {
  /** Encodes {@code prompt}; the arrays are created in {@code manager}. */
  TextEmbedding encode(String prompt, NDManager manager);

  /** Width of the sequence embeddings (the transformer's jointAttentionDim). */
  int sequenceDim();

  /** Width of the pooled embedding (the transformer's pooledProjectionDim). */
  int pooledDim();

  /** Number of tokens per prompt (L). */
  int maxLength();
}
