package dev.urae.infra.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void backsOffExponentiallyWithJitterUpToTheCap() {
    // given
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), new SplittableRandom(1));
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
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), new SplittableRandom(1));
    // when / then
    assertThat(backoff.delay(1, Optional.of(Duration.ofSeconds(5)))).isEqualTo(Duration.ofSeconds(5));
    assertThat(backoff.delay(1, Optional.of(Duration.ZERO)).toMillis()).isBetween(50L, 100L);
  }
}
