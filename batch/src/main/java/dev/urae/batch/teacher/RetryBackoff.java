package dev.urae.batch.teacher;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How long to wait before retrying a throttled (429) or failed (5xx) call: exponential backoff
 * with "equal jitter" (half the step fixed, half random, so clients that were throttled together
 * spread out but still back off), and never less than the server's {@code Retry-After}.
 */
final class RetryBackoff {
  private final Duration initial;
  private final Duration max;
  private final RandomGenerator random;

  RetryBackoff(Duration initial, Duration max, RandomGenerator random) {
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /**
   * The wait before attempt {@code failedAttempts + 1}.
   *
   * @param failedAttempts how many attempts have failed so far, >= 1
   * @param retryAfter     the server's {@code Retry-After}, if it sent one
   */
  Duration delay(int failedAttempts, Optional<Duration> retryAfter) {
    long step = initial.toMillis();
    for (int i = 1; i < failedAttempts && step < max.toMillis(); i++) step *= 2;
    step = Math.min(step, max.toMillis());
    long half = step / 2;
    long jittered = half + (half > 0 ? random.nextLong(half + 1) : 0);
    Duration backoff = Duration.ofMillis(Math.max(1, jittered));
    return retryAfter.filter(after -> after.compareTo(backoff) > 0).orElse(backoff);
  }

  /**
   * Parses a {@code Retry-After} header: delta-seconds ({@code 120}) or an HTTP date
   * ({@code Wed, 21 Oct 2026 07:28:00 GMT}). Unparseable values are ignored; dates in the past
   * mean "now".
   */
  static Optional<Duration> parseRetryAfter(String value, Clock clock) {
    if (value == null || value.isBlank()) return Optional.empty();
    String text = value.trim();
    if (text.chars().allMatch(Character::isDigit)) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
      } catch (NumberFormatException tooLarge) {
        return Optional.empty();
      }
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration until = Duration.between(clock.instant(), at.toInstant());
      return Optional.of(until.isNegative() ? Duration.ZERO : until);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
