package dev.urae.model.pipeline;

import dev.urae.model.base.BaseModelProvider;
import dev.urae.model.base.CheckpointFolders;
import java.io.IOException;
import java.nio.file.Path;

/** Opens a local FLUX.1 checkpoint as a base model ({@link FluxBaseModelProvider}); found by ServiceLoader. */
public final class FluxCheckpointFolders implements CheckpointFolders {
  @Override
  public BaseModelProvider open(Path path) throws IOException {
    return FluxBaseModelProvider.open(path.toString(), path);
  }
}
