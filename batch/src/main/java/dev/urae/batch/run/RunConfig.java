package dev.urae.batch.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.urae.batch.json.Json;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The effective configuration of one run: every option that can change its results, by name,
 * with its value as text. It is part of the run's identity (see {@link RunIdentity}), shown by
 * {@code urae status} and written into the report. Operational settings that do not change
 * results (data folder, parallelism) are not part of it.
 */
public final class RunConfig {
  public static final String SHARD_SIZE = "shard-size";
  public static final String MAX_REJECTS = "max-rejects";
  public static final String WIDTH = "width";
  public static final String HEIGHT = "height";

  private final Map<String, String> options;

  private RunConfig(Map<String, String> options) {
    this.options = Collections.unmodifiableMap(new TreeMap<>(options));
  }

  public static Builder builder() {
    return new Builder();
  }

  public Map<String, String> options() {
    return options;
  }

  public String get(String name) {
    String value = options.get(name);
    if (value == null) throw new IllegalArgumentException("run configuration has no option '" + name + "'");
    return value;
  }

  public String get(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  public int intValue(String name) {
    return Integer.parseInt(get(name));
  }

  public double doubleValue(String name) {
    return Double.parseDouble(get(name));
  }

  public boolean booleanValue(String name) {
    return Boolean.parseBoolean(get(name));
  }

  public int shardSize() {
    return intValue(SHARD_SIZE);
  }

  public long maxRejects() {
    return Long.parseLong(get(MAX_REJECTS));
  }

  /** Canonical JSON (keys sorted): the same options always give the same bytes. */
  public String toJson() {
    try {
      return Json.MAPPER.writeValueAsString(options);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static RunConfig fromJson(String json) {
    try {
      return new RunConfig(Json.MAPPER.readValue(json, new TypeReference<Map<String, String>>() {}));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a run configuration: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunConfig other && options.equals(other.options);
  }

  @Override
  public int hashCode() {
    return options.hashCode();
  }

  @Override
  public String toString() {
    return options.toString();
  }

  public static final class Builder {
    private final Map<String, String> options = new TreeMap<>();

    public Builder set(String name, Object value) {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(value, () -> "value of '" + name + "' == null");
      options.put(name, String.valueOf(value));
      return this;
    }

    public Builder setAll(Map<String, ?> values) {
      values.forEach(this::set);
      return this;
    }

    public RunConfig build() {
      requirePositive(SHARD_SIZE);
      require(MAX_REJECTS, v -> Long.parseLong(v) >= 0, "must be 0 or more");
      require(WIDTH, v -> validSide(Integer.parseInt(v)), "must be a multiple of 16 from 16 to 8192");
      require(HEIGHT, v -> validSide(Integer.parseInt(v)), "must be a multiple of 16 from 16 to 8192");
      return new RunConfig(options);
    }

    private void requirePositive(String name) {
      require(name, v -> Integer.parseInt(v) > 0, "must be 1 or more");
    }

    private void require(String name, java.util.function.Predicate<String> valid, String rule) {
      String value = options.get(name);
      if (value == null) throw new IllegalArgumentException("run option '" + name + "' is not set");
      boolean ok;
      try {
        ok = valid.test(value);
      } catch (NumberFormatException e) {
        ok = false;
      }
      if (!ok) throw new IllegalArgumentException("run option '" + name + "' " + rule + ", got '" + value + "'");
    }

    private static boolean validSide(int side) {
      return side >= 16 && side <= 8192 && side % 16 == 0;
    }
  }
}
