package dev.urae.batch.launch;

import dev.urae.batch.job.PipelineStage;
import dev.urae.batch.stages.adapt.AdaptStage;
import dev.urae.batch.stages.cache.CacheStage;
import dev.urae.batch.stages.render.RenderStage;
import dev.urae.batch.stages.report.ReportStage;
import dev.urae.batch.stages.teacher.TeacherStage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The URAE pipeline's stages after ingest: teacher, cache, adapt, render and report. Each stage
 * package plans its tasks in its {@code *Stage} and does the work in its {@code *Handler} on a
 * worker. ({@code urae.pipeline-enabled=false} leaves only ingest, for tests of the machinery.)
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "urae.pipeline-enabled", havingValue = "true", matchIfMissing = true)
public class BuiltInStages {

  @Bean
  PipelineStage teacherStage() {
    return new TeacherStage();
  }

  @Bean
  PipelineStage cacheStage() {
    return new CacheStage();
  }

  @Bean
  PipelineStage adaptStage() {
    return new AdaptStage();
  }

  @Bean
  PipelineStage renderStage() {
    return new RenderStage();
  }

  @Bean
  PipelineStage reportStage() {
    return new ReportStage();
  }
}
