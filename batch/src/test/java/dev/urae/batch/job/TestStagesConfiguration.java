package dev.urae.batch.job;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/** Adds {@link WorkStage} to the {@code urae} job when the {@code test-stages} profile is active. */
@Configuration(proxyBeanMethods = false)
@Profile("test-stages")
public class TestStagesConfiguration {

  @Bean
  PipelineStage workStage(@Value("${urae.test.sleep-ms:0}") long sleepMillis) {
    return new WorkStage(sleepMillis);
  }
}
