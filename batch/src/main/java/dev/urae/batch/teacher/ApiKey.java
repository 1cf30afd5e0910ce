package dev.urae.batch.teacher;

import java.util.Map;

/**
 * An API key read from the environment. Its text is reachable only through {@link #reveal()},
 * which the HTTP layer calls to set the header; {@link #toString()} and {@link #redact} keep it
 * out of logs and exception messages.
 */
final class ApiKey {
  private final String variable;
  private final String value;

  private ApiKey(String variable, String value) {
    this.variable = variable;
    this.value = value;
  }

  /**
   * Reads the key from {@code variable}.
   *
   * @throws IllegalStateException naming the variable and the setting when it is unset or blank
   */
  static ApiKey fromEnvironment(String variable, Map<String, String> environment) {
    String value = environment.get(variable);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("HTTP teacher: environment variable " + variable
          + " is not set; export your API key in it, or name another variable with"
          + " teacher.http.api-key-env");
    }
    return new ApiKey(variable, value.trim());
  }

  String variable() {
    return variable;
  }

  String reveal() {
    return value;
  }

  /** {@code text} with every occurrence of the key replaced, for text that came from outside. */
  String redact(String text) {
    return text == null ? null : text.replace(value, "***");
  }

  @Override
  public String toString() {
    return "ApiKey[$" + variable + "=***]";
  }
}
