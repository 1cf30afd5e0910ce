package dev.urae.batch.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.infra.awsbatch.AwsBatchConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The environment-variable names in the notes for Terraform bind to the settings they name. */
class AwsPropertiesTest {
  @Test
  void environmentVariablesBindPerStage() {
    // given: what a Terraform-made task definition would set
    PropertySource<?> environment = new SystemEnvironmentPropertySource(
        org.springframework.core.env.StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.<String, Object>of(
        "URAE_AWS_BATCH_JOBQUEUE_DEFAULT", "urae-gpu",
        "URAE_AWS_BATCH_JOBQUEUE_INGEST", "urae-cpu",
        "URAE_AWS_BATCH_JOBDEFINITION_DEFAULT", "urae-worker:4",
        "URAE_AWS_BATCH_TIMEOUT_ADAPT", "12h",
        "URAE_AWS_BATCH_SUBMITRATE", "25",
        "URAE_AWS_REGION", "eu-west-1",
        "URAE_WATCH_QUEUEURL", "https://sqs.eu-west-1.amazonaws.com/1/urae-manifests",
        "URAE_WATCH_MAXCONCURRENTRUNS", "3"));
    Binder binder = new Binder(ConfigurationPropertySources.from(List.of(environment)));

    // when
    AwsProperties aws = binder.bind("urae.aws", AwsProperties.class).get();
    WatchProperties watch = binder.bind("urae.watch", WatchProperties.class).get();
    AwsBatchConfig config = aws.getBatch().toConfig();

    // then
    assertThat(aws.getRegion()).isEqualTo("eu-west-1");
    assertThat(config.jobQueue("ingest")).isEqualTo("urae-cpu");
    assertThat(config.jobQueue("render")).isEqualTo("urae-gpu");
    assertThat(config.jobDefinition("adapt")).isEqualTo("urae-worker:4");
    assertThat(config.timeout("adapt")).isEqualTo(Duration.ofHours(12));
    assertThat(config.timeout("render")).isEqualTo(Duration.ofHours(6));
    assertThat(config.submitRate()).isEqualTo(25.0);
    assertThat(watch.getQueueUrl()).endsWith("/urae-manifests");
    assertThat(watch.getMaxConcurrentRuns()).isEqualTo(3);
  }

  @Test
  void anS3ManifestDefaultsTheStoreToItsBucket() {
    // then
    assertThat(StoreDefaults.forManifest("s3://in-bucket/manifests/prompts.jsonl")).isEqualTo("s3://in-bucket/urae/");
    assertThat(StoreDefaults.forManifest("/data/prompts.jsonl")).isNull();
  }
}
