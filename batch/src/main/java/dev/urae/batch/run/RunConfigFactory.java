package dev.urae.batch.run;

import dev.urae.batch.config.UraeProperties;
import dev.urae.batch.stages.PipelineOptions;

/** Builds the effective run configuration from the resolved {@code urae.*} settings. */
public final class RunConfigFactory {
  private RunConfigFactory() {}

  public static RunConfig from(UraeProperties properties) {
    return RunConfig.builder()
        .set(RunConfig.SHARD_SIZE, properties.getShardSize())
        .set(RunConfig.MAX_REJECTS, properties.getMaxRejects())
        .set(RunConfig.WIDTH, properties.getWidth())
        .set(RunConfig.HEIGHT, properties.getHeight())
        .setAll(PipelineOptions.resolve(properties.getPipeline(), properties.isQuick()))
        .build();
  }
}
