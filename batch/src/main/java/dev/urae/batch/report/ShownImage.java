package dev.urae.batch.report;

/**
 * One image the gallery shows, resolved against the store: the full image's key (relative to the
 * run folder) and size, its thumbnail's key (relative to {@code report/}) and size, or why it is
 * missing (a null key: the item has no image in this column).
 */
record ShownImage(String role, String key, int width, int height, String thumbnail, int thumbWidth, int thumbHeight, String problem) {

  static ShownImage shown(String role, String key, int width, int height, String thumbnail, int thumbWidth, int thumbHeight) {
    return new ShownImage(role, key, width, height, thumbnail, thumbWidth, thumbHeight, null);
  }

  static ShownImage missing(String role, String key, String problem) {
    return new ShownImage(role, key, 0, 0, null, 0, 0, problem);
  }

  static ShownImage none(String role) {
    return new ShownImage(role, null, 0, 0, null, 0, 0, null);
  }

  boolean isNone() {
    return key == null;
  }

  boolean isMissing() {
    return problem != null;
  }
}
