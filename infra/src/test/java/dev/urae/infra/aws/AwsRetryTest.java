package dev.urae.infra.aws;

import static dev.urae.infra.aws.AwsErrorsTest.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwsRetryTest {
  private final List<Duration> waits = new ArrayList<>();
  private final AwsRetry retry = new AwsRetry(4, Duration.ofMillis(100), Duration.ofMillis(300), waits::add);

  @Test
  void throttledCallsAreRetriedWithGrowingCappedBackoff() throws Exception {
    // given: three 429s, then an answer
    AtomicInteger calls = new AtomicInteger();

    // when
    String answer = retry.call("SubmitJob", () -> {
      if (calls.incrementAndGet() <= 3) throw error(429, "TooManyRequestsException");
      return "job-1";
    });

    // then
    assertThat(answer).isEqualTo("job-1");
    assertThat(calls).hasValue(4);
    assertThat(retry.retries()).isEqualTo(3);
    assertThat(waits).hasSize(3);
    assertThat(waits.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(waits.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(waits.get(2)).isBetween(Duration.ofMillis(150), Duration.ofMillis(300));
  }

  @Test
  void clientErrorsAreRethrownAtOnce() {
    // when / then
    assertThatThrownBy(() -> retry.call("SubmitJob", () -> {
      throw error(400, "ClientException");
    })).hasMessageContaining("ClientException");
    assertThat(waits).isEmpty();
  }

  @Test
  void retriesEndAfterTheLastAttempt() {
    // given
    AtomicInteger calls = new AtomicInteger();

    // when / then
    assertThatThrownBy(() -> retry.call("DescribeJobs", () -> {
      calls.incrementAndGet();
      throw error(503, "ServiceUnavailable");
    })).hasMessageContaining("ServiceUnavailable");
    assertThat(calls).hasValue(4);
  }
}
