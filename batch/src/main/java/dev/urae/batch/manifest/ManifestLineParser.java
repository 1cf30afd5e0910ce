package dev.urae.batch.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validates one manifest line and resolves its defaults. Stateless apart from reusable buffers,
 * so one instance per thread. Duplicate ids span lines and are checked by {@link IdRegistry}.
 */
public final class ManifestLineParser {
  public static final int MAX_PROMPT_CODE_POINTS = 4000;
  public static final int MAX_ID_LENGTH = 128;
  private static final String FIELDS = "prompt, id, generated_prompt, seed, width, height, tags";
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).build())
      .build();

  private final ManifestFormat format;
  private final ItemDefaults defaults;
  private final MessageDigest sha256;

  public ManifestLineParser(ManifestFormat format, ItemDefaults defaults) {
    this.format = format;
    this.defaults = defaults;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Parses {@code bytes[offset, offset+length)}: one line without its line end (a trailing CR is
   * already removed).
   */
  public LineVerdict parse(long line, byte[] bytes, int offset, int length) {
    int bad = Utf8.firstInvalid(bytes, offset, length);
    if (bad >= 0) {
      return new LineVerdict.Rejected(line, "invalid UTF-8 at byte " + (bad + 1) + " of the line");
    }
    if (isBlank(bytes, offset, length)) return new LineVerdict.Blank(line);
    try {
      return format == ManifestFormat.TEXT
          ? plainPrompt(line, bytes, offset, length)
          : jsonObject(line, bytes, offset, length);
    } catch (Rejection r) {
      return new LineVerdict.Rejected(line, r.getMessage());
    }
  }

  private LineVerdict plainPrompt(long line, byte[] bytes, int offset, int length) {
    String prompt = new String(bytes, offset, length, StandardCharsets.UTF_8).strip();
    checkPrompt("prompt", prompt);
    String id = defaultId(bytes, offset, length);
    return new LineVerdict.Accepted(new ManifestItem(
        line, id, prompt, null, defaultSeed(id), defaults.width(), defaults.height(), Map.of()));
  }

  private LineVerdict jsonObject(long line, byte[] bytes, int offset, int length) {
    String id = null;
    String prompt = null;
    String generatedPrompt = null;
    Long seed = null;
    Integer width = null;
    Integer height = null;
    Map<String, String> tags = null;
    java.util.Set<String> seen = new java.util.HashSet<>(8);
    try (JsonParser p = JSON.createParser(bytes, offset, length)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new Rejection("expected a JSON object, got " + describe(first));
      }
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        String field = p.currentName();
        if (!seen.add(field)) throw new Rejection("duplicate field '" + field + "'");
        JsonToken value = p.nextToken();
        if (value == JsonToken.VALUE_NULL && !field.equals("prompt")) {
          if (!isKnown(field)) throw unknownField(field);
          continue; // null means "not given" for optional fields
        }
        switch (field) {
          case "prompt" -> prompt = checkPrompt("prompt", string(p, field, value));
          case "id" -> id = checkId(string(p, field, value));
          case "generated_prompt" -> generatedPrompt = checkPrompt("generated_prompt", string(p, field, value));
          case "seed" -> seed = seed(p, value);
          case "width" -> width = side(p, field, value);
          case "height" -> height = side(p, field, value);
          case "tags" -> tags = tags(p, value);
          default -> throw unknownField(field);
        }
      }
      JsonToken trailing = p.nextToken();
      if (trailing != null) throw new Rejection("unexpected content after the JSON object");
    } catch (JsonParseException e) {
      throw new Rejection("invalid JSON: " + e.getOriginalMessage() + " (column " + e.getLocation().getColumnNr() + ")");
    } catch (IOException e) {
      throw new Rejection("invalid JSON: " + e.getMessage());
    }
    if (prompt == null) throw new Rejection("missing required field 'prompt'");
    if (id == null) id = defaultId(bytes, offset, length);
    return new LineVerdict.Accepted(new ManifestItem(
        line,
        id,
        prompt,
        generatedPrompt,
        seed == null ? defaultSeed(id) : seed,
        width == null ? defaults.width() : width,
        height == null ? defaults.height() : height,
        tags));
  }

  private static boolean isKnown(String field) {
    return switch (field) {
      case "prompt", "id", "generated_prompt", "seed", "width", "height", "tags" -> true;
      default -> false;
    };
  }

  private static Rejection unknownField(String field) {
    return new Rejection("unknown field '" + field + "' (known: " + FIELDS + ")");
  }

  private static String string(JsonParser p, String field, JsonToken value) throws IOException {
    if (value != JsonToken.VALUE_STRING) {
      throw new Rejection("'" + field + "' must be a string, got " + describe(value));
    }
    return p.getText();
  }

  private static String checkPrompt(String field, String prompt) {
    if (prompt.isBlank()) throw new Rejection("'" + field + "' must not be blank");
    int codePoints = prompt.codePointCount(0, prompt.length());
    if (codePoints > MAX_PROMPT_CODE_POINTS) {
      throw new Rejection("'" + field + "' is " + codePoints + " characters long, at most "
          + MAX_PROMPT_CODE_POINTS + " are allowed");
    }
    return prompt;
  }

  private static String checkId(String id) {
    if (!isValidId(id)) {
      throw new Rejection("'id' must be 1 to " + MAX_ID_LENGTH + " of [A-Za-z0-9._-], got \""
          + abbreviate(id) + "\"");
    }
    return id;
  }

  /** Same as the pattern {@code [A-Za-z0-9._-]{1,128}}, without a regex on the hot path. */
  static boolean isValidId(String id) {
    int n = id.length();
    if (n == 0 || n > MAX_ID_LENGTH) return false;
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      if (!ok) return false;
    }
    return true;
  }

  private static long seed(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.VALUE_NUMBER_INT) {
      throw new Rejection("'seed' must be an integer, got " + describe(value));
    }
    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw new Rejection("'seed' must be from 0 to 2^63-1, got " + p.getText());
    }
    long seed = p.getLongValue();
    if (seed < 0) throw new Rejection("'seed' must be from 0 to 2^63-1, got " + seed);
    return seed;
  }

  private static int side(JsonParser p, String field, JsonToken value) throws IOException {
    if (value != JsonToken.VALUE_NUMBER_INT) {
      throw new Rejection("'" + field + "' must be an integer, got " + describe(value));
    }
    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw new Rejection("'" + field + "' must be from 16 to 8192, got " + p.getText());
    }
    long side = p.getLongValue();
    String problem = ItemDefaults.sideProblem(side);
    if (problem != null) throw new Rejection("'" + field + "' " + problem);
    return (int) side;
  }

  private static Map<String, String> tags(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      throw new Rejection("'tags' must be an object of strings, got " + describe(value));
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String key = p.currentName();
      JsonToken tag = p.nextToken();
      if (tag != JsonToken.VALUE_STRING) {
        throw new Rejection("'tags." + key + "' must be a string, got " + describe(tag));
      }
      if (tags.put(key, p.getText()) != null) throw new Rejection("duplicate tag '" + key + "'");
    }
    return tags;
  }

  /** The default id: a stable hash of the line's bytes, so re-ingesting gives the same id. */
  private String defaultId(byte[] bytes, int offset, int length) {
    sha256.reset();
    sha256.update(bytes, offset, length);
    return "line-" + HexFormat.of().formatHex(sha256.digest(), 0, 10);
  }

  /** The default seed: derived from the id (SplitMix64 over its UTF-8 bytes), in [0, 2^63). */
  public static long defaultSeed(String id) {
    long h = 0x9E3779B97F4A7C15L;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h = mix64(h ^ (b & 0xFF));
    }
    return mix64(h) & Long.MAX_VALUE;
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static boolean isBlank(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      byte b = bytes[i];
      if (b != ' ' && b != '\t' && b != '\r' && b != '\f' && b != 0x0B) return false;
    }
    return true;
  }

  private static String describe(JsonToken token) {
    if (token == null) return "nothing";
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a number with a fraction";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.asString() == null ? token.name() : token.asString();
    };
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }

  /** Thrown inside the parser to carry a rejection reason; never escapes it. */
  private static final class Rejection extends RuntimeException {
    Rejection(String reason) {
      super(reason, null, false, false);
    }
  }
}
