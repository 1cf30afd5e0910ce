package dev.urae.infra.awsbatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsBatchConfigTest {
  @Test
  void stagesFallBackToTheDefaultQueueDefinitionAndTimeout() {
    // given
    AwsBatchConfig config = AwsBatchConfig.fromProperties(Map.of(
        "job-queue.default", "urae-gpu",
        "job-queue.ingest", "urae-cpu",
        "job-definition.default", "urae-worker:3",
        "timeout.default", "2h",
        "timeout.adapt", "PT12H",
        "poll-min", "500ms",
        "poll-max", "30s",
        "submit-rate", "20"));

    // then
    assertThat(config.jobQueue("ingest")).isEqualTo("urae-cpu");
    assertThat(config.jobQueue("render")).isEqualTo("urae-gpu");
    assertThat(config.jobDefinition("adapt")).isEqualTo("urae-worker:3");
    assertThat(config.timeout("adapt")).isEqualTo(Duration.ofHours(12));
    assertThat(config.timeout("render")).isEqualTo(Duration.ofHours(2));
    assertThat(config.pollMin()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.submitRate()).isEqualTo(20.0);
    assertThat(config.jobQueues()).containsExactly("urae-cpu", "urae-gpu");
  }

  @Test
  void mistakesAreNamedByTheirProperty() {
    // then
    assertThatThrownBy(() -> AwsBatchConfig.fromProperties(Map.of("job-queue.default", "q", "job-definition.default", "d", "jobqueue.x", "q")))
        .hasMessageContaining("unknown property urae.aws.batch.jobqueue.x");
    assertThatThrownBy(() -> AwsBatchConfig.fromProperties(Map.of("job-queue.default", "q", "job-definition.default", "d", "submit-rate", "80")))
        .hasMessageContaining("submit-rate must be in (0, 50]");
    assertThatThrownBy(() -> AwsBatchConfig.fromProperties(Map.of("job-queue.default", "q", "job-definition.default", "d", "timeout.render", "ten")))
        .hasMessageContaining("urae.aws.batch.timeout.render is not a duration");
    AwsBatchConfig onlyRender = AwsBatchConfig.fromProperties(Map.of("job-queue.render", "q", "job-definition.render", "d"));
    assertThatThrownBy(() -> onlyRender.jobQueue("teacher"))
        .hasMessageContaining("urae.aws.batch.job-queue.teacher or urae.aws.batch.job-queue.default");
  }
}
