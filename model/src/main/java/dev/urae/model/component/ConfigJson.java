package dev.urae.model.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.urae.model.checkpoint.Component;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A component's {@code config.json}, read with errors that name the file and the key: a
 * missing key takes the default the reference library uses, a key of the wrong type is refused.
 */
public final class ConfigJson {
  /** Shared mapper for writing configs. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private final String source;
  private final JsonNode root;

  private ConfigJson(String source, JsonNode root) {
    this.source = source;
    this.root = root;
  }

  /** Reads {@code file}; the error names the file when it is missing or not a JSON object. */
  public static ConfigJson read(Path file) throws IOException {
    JsonNode root;
    try {
      root = MAPPER.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file (a model component folder holds its config.json)", e);
    } catch (IOException e) {
      throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) throw new IOException(file + ": not a JSON object");
    return new ConfigJson(file.toString(), root);
  }

  /** A config from a JSON object already in memory; {@code source} names it in errors. */
  public static ConfigJson of(String source, JsonNode root) {
    if (root == null || !root.isObject()) throw new IllegalArgumentException(source + ": not a JSON object");
    return new ConfigJson(source, root);
  }

  /** A checkpoint component's {@code config.json}. */
  public static ConfigJson of(Component component) {
    return of(component.file("config.json").toString(), component.config());
  }

  /** Where the config came from. */
  public String source() {
    return source;
  }

  /** An integer value, or {@code fallback} when the key is absent or null. */
  public int integer(String key, int fallback) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) return fallback;
    if (!n.canConvertToInt() || !n.isIntegralNumber()) throw invalid(key, "an integer", n);
    return n.asInt();
  }

  /** A required positive integer. */
  public int positive(String key, int fallback) {
    int v = integer(key, fallback);
    if (v <= 0) throw invalid(key, "a positive integer", root.get(key));
    return v;
  }

  /** A number, or {@code fallback} when absent or null. */
  public double number(String key, double fallback) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) return fallback;
    if (!n.isNumber()) throw invalid(key, "a number", n);
    return n.asDouble();
  }

  /** A string, or {@code fallback} when absent or null. */
  public String string(String key, String fallback) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) return fallback;
    if (!n.isTextual()) throw invalid(key, "a string", n);
    return n.asText();
  }

  /** A boolean, or {@code fallback} when absent or null. */
  public boolean bool(String key, boolean fallback) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) return fallback;
    if (!n.isBoolean()) throw invalid(key, "true or false", n);
    return n.asBoolean();
  }

  /** A list of integers, or {@code fallback} when absent or null. */
  public List<Integer> integers(String key, List<Integer> fallback) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) return fallback;
    if (!n.isArray() || n.isEmpty()) throw invalid(key, "a non-empty list of integers", n);
    List<Integer> out = new ArrayList<>();
    for (JsonNode v : n) {
      if (!v.isIntegralNumber() || v.asInt() <= 0) throw invalid(key, "a non-empty list of positive integers", n);
      out.add(v.asInt());
    }
    return List.copyOf(out);
  }

  /** An error about this config that names the source and the key. */
  public IllegalArgumentException invalid(String key, String expected, Object found) {
    return new IllegalArgumentException(source + ": \"" + key + "\" must be " + expected + ", found " + found);
  }
}
