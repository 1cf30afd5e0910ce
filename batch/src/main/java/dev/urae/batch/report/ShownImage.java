package dev.urae.batch.report;

/**
 * One image the gallery shows, resolved against the store: the full image's key (relative to the
 * run folder), its thumbnail's key (relative to {@code report/}) and size, or why it is missing.
 */
record ShownImage(String role, String key, String thumbnail, int thumbWidth, int thumbHeight, String problem) {

  static ShownImage shown(String role, String key, String thumbnail, int width, int height) {
    return new ShownImage(role, key, thumbnail, width, height, null);
  }

  static ShownImage missing(String role, String key, String problem) {
    return new ShownImage(role, key, null, 0, 0, problem);
  }

  boolean isMissing() {
    return problem != null;
  }
}
