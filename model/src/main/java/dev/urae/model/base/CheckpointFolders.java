package dev.urae.model.base;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Base models kept in a local checkpoint folder (or file), found by {@link
 * java.util.ServiceLoader} (listed in {@code META-INF/services/dev.urae.model.base.CheckpointFolders}):
 * {@link BaseModels} hands it every model reference that is not a provider's name. A reference
 * to remote weights ({@code s3://…}) is staged to a local folder by the caller first.
 */
public interface CheckpointFolders {

  /**
   * The provider of the model in {@code path}, after checking from headers and configs alone
   * that it is complete.
   *
   * @throws IOException listing every problem at once: unknown layout, a missing text encoder,
   *     tokenizer or VAE, missing shards, mis-shaped tensors
   */
  BaseModelProvider open(Path path) throws IOException;
}
