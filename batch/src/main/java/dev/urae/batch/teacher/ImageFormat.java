package dev.urae.batch.teacher;

import java.util.Locale;

/** Image encodings a teacher can ask a remote service for. */
public enum ImageFormat {
  PNG,
  JPEG;

  /** The lower-case name image APIs use ({@code png}, {@code jpeg}). */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code png}, {@code jpeg} or {@code jpg}, case-insensitively. */
  public static ImageFormat parse(String text) {
    String name = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    return switch (name) {
      case "png" -> PNG;
      case "jpeg", "jpg" -> JPEG;
      default -> throw new IllegalArgumentException(
          "output format must be png or jpeg, got \"" + text + "\"");
    };
  }
}
