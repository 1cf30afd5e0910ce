package dev.urae.infra.awsbatch;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Parses the duration forms configuration uses: {@code 500ms}, {@code 5s}, {@code 90m}, {@code 6h}, {@code PT6H}, or bare seconds. */
final class Durations {
  private Durations() {}

  static Duration parse(String name, String text) {
    if (text == null || text.isBlank()) throw new IllegalArgumentException(name + " is empty");
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("pt") || t.startsWith("p")) return Duration.parse(t.toUpperCase(Locale.ROOT));
      if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
      if (t.endsWith("s")) return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      if (t.endsWith("m")) return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      if (t.endsWith("h")) return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      if (t.endsWith("d")) return Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      return Duration.ofSeconds(Long.parseLong(t));
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          name + " is not a duration (use e.g. 500ms, 5s, 90m, 6h or PT6H): " + text, e);
    }
  }
}
