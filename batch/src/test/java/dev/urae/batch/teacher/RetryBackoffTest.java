package dev.urae.batch.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T06:00:00Z"), ZoneOffset.UTC);

  @Test
  void parsesRetryAfterInSecondsAndAsAnHttpDate() {
    assertThat(RetryBackoff.parseRetryAfter("7", clock)).contains(Duration.ofSeconds(7));
    assertThat(RetryBackoff.parseRetryAfter("Thu, 26 Nov 2026 06:00:30 GMT", clock)).contains(Duration.ofSeconds(30));
    assertThat(RetryBackoff.parseRetryAfter("Thu, 26 Nov 2026 05:00:00 GMT", clock)).contains(Duration.ZERO);
    assertThat(RetryBackoff.parseRetryAfter("soon", clock)).isEmpty();
    assertThat(RetryBackoff.parseRetryAfter(null, clock)).isEmpty();
  }

  @Test
  void backsOffExponentiallyWithJitterUpToTheCap() {
    // given
    RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(100), Duration.ofMillis(1000), new SplittableRandom(1));
    // when / then each wait lies in [step/2, step] with step doubling up to the cap
    for (int attempt = 1; attempt <= 8; attempt++) {
      long step = Math.min(1000, 100L << (attempt - 1));
      Duration wait = backoff.delay(attempt, Optional.empty());
      assertThat(wait.toMillis()).as("attempt %d", attempt).isBetween(step / 2, step);
    }
  }

  @Test
  void neverWaitsLessThanRetryAfter() {
    // given
    RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(100), Duration.ofMillis(1000), new SplittableRandom(1));
    // when / then
    assertThat(backoff.delay(1, Optional.of(Duration.ofSeconds(5)))).isEqualTo(Duration.ofSeconds(5));
    assertThat(backoff.delay(1, Optional.of(Duration.ZERO)).toMillis()).isBetween(50L, 100L);
  }
}
