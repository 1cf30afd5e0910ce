package dev.urae.batch.stages;

import ai.djl.ndarray.NDManager;
import dev.urae.model.demo.DemoBaseModel;
import java.io.IOException;

/**
 * Loads the base model a run names. Only {@code demo} runs on a CPU; FLUX.1-dev needs its
 * weights and a GPU worker, which this build does not ship.
 */
final class BaseModels {
  private BaseModels() {}

  static DemoBaseModel load(String name, NDManager manager) throws IOException {
    if (!name.equals("demo")) {
      throw new IllegalArgumentException("pipeline option model must be 'demo' in this build, got '" + name
          + "' (FLUX.1-dev needs its weights and a GPU worker)");
    }
    return DemoBaseModel.loadDefault(DemoBaseModel.defaultCacheFolder(), manager, System.err);
  }
}
