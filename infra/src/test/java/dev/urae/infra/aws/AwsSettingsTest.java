package dev.urae.infra.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsSettingsTest {
  @Test
  void aServiceEndpointVariableWinsOverTheGeneralOne() {
    // given
    AwsSettings settings = AwsSettings.builder().optEnvironment(Map.of(
        "AWS_ENDPOINT_URL", "http://127.0.0.1:4566",
        "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000")).build();

    // then
    assertThat(settings.endpointFor("S3")).contains(URI.create("http://127.0.0.1:9000"));
    assertThat(settings.endpointFor("SQS")).contains(URI.create("http://127.0.0.1:4566"));
    assertThat(settings.hasEndpointOverride("Batch")).isTrue();
  }

  @Test
  void anExplicitEndpointWinsAndNoneMeansAws() {
    // then
    assertThat(AwsSettings.builder().optEndpoint("http://localhost:5000")
        .optEnvironment(Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000")).build().endpointFor("S3"))
        .contains(URI.create("http://localhost:5000"));
    assertThat(AwsSettings.builder().optEnvironment(Map.of()).build().endpointFor("S3")).isEmpty();
    assertThat(AwsSettings.builder().optRegion(" ").optEnvironment(Map.of()).build().region()).isEmpty();
  }
}
