package dev.urae.batch.launch;

import dev.urae.batch.config.UraeProperties;
import dev.urae.batch.run.RunConfig;
import dev.urae.batch.stages.BaseModels;
import dev.urae.batch.stages.PipelineOptions;
import dev.urae.batch.stages.Recipe;
import java.io.IOException;
import java.util.Map;

/** Builds the effective run configuration from the resolved {@code urae.*} settings. */
public final class RunConfigFactory {
  /** Image side for items without width/height when neither the user nor a recipe sets one. */
  static final int DEFAULT_SIDE = 64;

  private RunConfigFactory() {}

  /**
   * @throws IOException when the base model's weights cannot be read to name them
   */
  public static RunConfig from(UraeProperties properties) throws IOException {
    Map<String, String> pipeline = PipelineOptions.resolve(properties.getPipeline(), properties.isQuick());
    pipeline.put(PipelineOptions.MODEL, BaseModels.recorded(pipeline.get(PipelineOptions.MODEL)));
    int side = Recipe.named(pipeline.get(PipelineOptions.RECIPE)).map(Recipe::side).orElse(DEFAULT_SIDE);
    return RunConfig.builder()
        .set(RunConfig.SHARD_SIZE, properties.getShardSize())
        .set(RunConfig.MAX_REJECTS, properties.getMaxRejects())
        .set(RunConfig.WIDTH, properties.getWidth() != null ? properties.getWidth() : side)
        .set(RunConfig.HEIGHT, properties.getHeight() != null ? properties.getHeight() : side)
        .setAll(pipeline)
        .set(BaseModels.WEIGHTS, BaseModels.weightsDigest(pipeline.get(PipelineOptions.MODEL)))
        .build();
  }
}
