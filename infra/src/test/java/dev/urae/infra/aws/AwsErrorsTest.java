package dev.urae.infra.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.infra.store.NoSuchObjectException;
import dev.urae.infra.store.StoreAccessDeniedException;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsErrorsTest {
  private static final URI KEY = URI.create("s3://bucket/urae/runs/r1/x.json");

  @Test
  void throttlingAndServerErrorsAreRetryable() {
    // then
    assertThat(AwsErrors.isRetryable(error(429, "TooManyRequestsException"))).isTrue();
    assertThat(AwsErrors.isThrottling(error(400, "ThrottlingException"))).isTrue();
    assertThat(AwsErrors.isRetryable(error(503, "SlowDown"))).isTrue();
    assertThat(AwsErrors.isRetryable(error(500, "InternalError"))).isTrue();
    assertThat(AwsErrors.isRetryable(SdkClientException.create("reset", new IOException("connection reset")))).isTrue();
  }

  @Test
  void clientErrorsAreNotRetried() {
    // then
    assertThat(AwsErrors.isRetryable(error(400, "ClientException"))).isFalse();
    assertThat(AwsErrors.isRetryable(error(404, "NoSuchKey"))).isFalse();
    assertThat(AwsErrors.isRetryable(SdkClientException.create("no region"))).isFalse();
  }

  @Test
  void notFoundAndAccessDeniedBecomeTypedStoreErrorsKeepingTheUri() {
    // when
    IOException missing = AwsErrors.forStore(new CompletionException(error(404, "NoSuchKey")), KEY);
    IOException denied = AwsErrors.forStore(error(403, "AccessDenied"), KEY);
    IOException other = AwsErrors.forStore(error(400, "InvalidRequest"), KEY);

    // then
    assertThat(missing).isInstanceOf(NoSuchObjectException.class).hasMessageContaining(KEY.toString());
    assertThat(((NoSuchObjectException) missing).uri()).isEqualTo(KEY);
    assertThat(denied).isInstanceOf(StoreAccessDeniedException.class).hasMessageContaining(KEY.toString());
    assertThat(other).hasMessageContaining("InvalidRequest (HTTP 400)").hasMessageContaining(KEY.toString());
  }

  static AwsServiceException error(int status, String code) {
    return AwsServiceException.builder().statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code + " happened").build())
        .build();
  }
}
