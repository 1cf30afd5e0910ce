package dev.urae.batch.stages;

import ai.djl.ndarray.NDManager;
import dev.urae.model.base.BaseModel;
import java.io.IOException;

/**
 * Loads the base model a run names (through the model's {@link dev.urae.model.base.BaseModels},
 * which chooses the implementation by name), and names its weights. Only {@code demo} runs on a
 * CPU; FLUX.1-dev needs its weights and a GPU worker, which this build does not ship.
 *
 * <p>The orchestrator records the weights' digest in the run configuration ({@link #WEIGHTS}),
 * so new weights make a new run, and a worker refuses to work with other weights than the run
 * was launched with (a worker image of another build than the orchestrator's).
 */
public final class BaseModels {
  /** Run option holding the base model's weights digest; set at launch, never by users. */
  public static final String WEIGHTS = "model.weights";
  private static final String UNKNOWN_YET = "pretrained-on-first-use";
  private static final int FLUX_NATIVE_IMAGE_TOKENS = 64 * 64;

  private BaseModels() {}

  /** The weights {@code name} resolves to here: {@code sha256:<hex>}, or pretrained-on-first-use. */
  public static String weightsDigest(String name) throws IOException {
    return dev.urae.model.base.BaseModels.provider(name).weightsDigest();
  }

  public static BaseModel load(StageParams params, NDManager manager) throws IOException {
    String name = params.text(PipelineOptions.MODEL);
    String expected = params.recorded(WEIGHTS);
    String actual = weightsDigest(name);
    if (expected != null && !expected.equals(UNKNOWN_YET) && !expected.equals(actual)) {
      throw new IllegalStateException("the " + name + " base model here has weights " + actual + " but the run was launched with "
          + expected + ": the worker and the orchestrator are different builds; run workers of the orchestrator's version");
    }
    return dev.urae.model.base.BaseModels.load(name, manager, System.err);
  }
}
