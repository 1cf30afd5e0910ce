package dev.urae.batch.report;

import java.nio.charset.StandardCharsets;

/** Escaping for HTML text and attribute values, and percent-encoding for relative links. */
final class Html {
  private Html() {}

  /** Escapes {@code & < > " '}; safe both in text and in double- or single-quoted attributes. */
  static String escape(String text) {
    if (text == null) return "";
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** Undoes {@link #escape} (and numeric entities), for reading links back out of a page. */
  static String unescape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int end = c == '&' ? text.indexOf(';', i) : -1;
      if (end < 0 || end - i > 10) {
        out.append(c);
        continue;
      }
      String entity = text.substring(i + 1, end);
      String replacement = switch (entity) {
        case "amp" -> "&";
        case "lt" -> "<";
        case "gt" -> ">";
        case "quot" -> "\"";
        case "apos" -> "'";
        default -> numeric(entity);
      };
      if (replacement == null) {
        out.append(c);
      } else {
        out.append(replacement);
        i = end;
      }
    }
    return out.toString();
  }

  /**
   * Percent-encodes each segment of a slash-separated relative path, so keys with spaces or
   * {@code #} still link to themselves; unreserved characters and '/' stay as they are.
   */
  static String encodePath(String path) {
    StringBuilder out = new StringBuilder(path.length());
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static String numeric(String entity) {
    try {
      if (entity.startsWith("#x") || entity.startsWith("#X")) {
        return new String(Character.toChars(Integer.parseInt(entity.substring(2), 16)));
      }
      if (entity.startsWith("#")) return new String(Character.toChars(Integer.parseInt(entity.substring(1))));
    } catch (IllegalArgumentException e) {
      return null;
    }
    return null;
  }
}
