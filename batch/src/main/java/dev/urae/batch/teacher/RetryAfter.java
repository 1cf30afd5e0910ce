package dev.urae.batch.teacher;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** A server's {@code Retry-After} header: the least it asks a client to wait before retrying. */
final class RetryAfter {
  private RetryAfter() {}

  /**
   * Parses a {@code Retry-After} header: delta-seconds ({@code 120}) or an HTTP date
   * ({@code Wed, 21 Oct 2026 07:28:00 GMT}). Unparseable values are ignored; dates in the past
   * mean "now".
   */
  static Optional<Duration> parse(String value, Clock clock) {
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
