package dev.urae.batch.teacher;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one teacher's settings from a flat option map (a run configuration section or a task
 * spec: {@code teacher.http.timeout=10m}), so the same text configures the teacher in the
 * orchestrator and in a worker container. Values are strings; durations are {@code 500ms},
 * {@code 30s}, {@code 10m}, {@code 1h} or ISO-8601 ({@code PT0.5S}). An unknown key under the
 * prefix is an error naming it and the known ones, because a mistyped setting silently ignored
 * is worse than a failed start.
 */
final class TeacherOptions {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

  private final String prefix;
  private final Map<String, String> values = new TreeMap<>();

  /** The options whose keys start with {@code prefix} (e.g. {@code teacher.http.}). */
  TeacherOptions(String prefix, Map<String, String> options, Set<String> known) {
    this.prefix = prefix;
    Set<String> unknown = new TreeSet<>();
    for (Map.Entry<String, String> option : options.entrySet()) {
      if (!option.getKey().startsWith(prefix)) continue;
      String name = option.getKey().substring(prefix.length());
      if (!known.contains(name)) unknown.add(option.getKey());
      else if (option.getValue() != null) values.put(name, option.getValue().trim());
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown setting " + String.join(", ", unknown) + "; known: "
          + String.join(", ", new TreeSet<>(known).stream().map(k -> prefix + k).toList()));
    }
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String string(String name) {
    return values.get(name);
  }

  int integer(String name) {
    try {
      return Integer.parseInt(values.get(name));
    } catch (NumberFormatException e) {
      throw invalid(name, "a whole number");
    }
  }

  long longValue(String name) {
    try {
      return Long.parseLong(values.get(name));
    } catch (NumberFormatException e) {
      throw invalid(name, "a whole number");
    }
  }

  double decimal(String name) {
    try {
      return Double.parseDouble(values.get(name));
    } catch (NumberFormatException e) {
      throw invalid(name, "a number");
    }
  }

  boolean bool(String name) {
    String value = values.get(name).toLowerCase(Locale.ROOT);
    if (value.equals("true")) return true;
    if (value.equals("false")) return false;
    throw invalid(name, "true or false");
  }

  Duration duration(String name) {
    String value = values.get(name);
    Matcher shortForm = SHORT_DURATION.matcher(value.toLowerCase(Locale.ROOT));
    if (shortForm.matches()) {
      double amount = Double.parseDouble(shortForm.group(1));
      double millis = switch (shortForm.group(2)) {
        case "ms" -> amount;
        case "s" -> amount * 1_000;
        case "m" -> amount * 60_000;
        default -> amount * 3_600_000;
      };
      return Duration.ofMillis(Math.round(millis));
    }
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw invalid(name, "a duration such as 500ms, 30s, 10m or PT0.5S");
    }
  }

  private IllegalArgumentException invalid(String name, String expected) {
    return new IllegalArgumentException(
        prefix + name + " must be " + expected + ", got \"" + values.get(name) + "\"");
  }
}
