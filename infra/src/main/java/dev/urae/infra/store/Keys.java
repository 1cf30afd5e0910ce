package dev.urae.infra.store;

/** Validation of object keys, shared by every store so they all refuse the same keys. */
public final class Keys {
  private Keys() {}

  /** Returns {@code key} when it is a valid relative key, else throws naming the problem. */
  public static String check(String key) {
    if (key == null) throw new IllegalArgumentException("key == null");
    if (key.isEmpty()) throw new IllegalArgumentException("key is empty");
    if (key.startsWith("/")) throw new IllegalArgumentException("key must be relative: " + key);
    if (key.contains("\\")) throw new IllegalArgumentException("key must use '/' separators: " + key);
    for (String segment : key.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        throw new IllegalArgumentException("key must not contain '" + segment + "' segments: " + key);
      }
    }
    return key;
  }

  /** {@code key} as a relative URI, quoting spaces, {@code %}, {@code #} and the like. */
  public static java.net.URI asRelativeUri(String key) {
    try {
      // "./" keeps a colon in the first segment from reading as a scheme.
      return new java.net.URI(null, null, "./" + key, null);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("key cannot be part of a URI: " + key, e);
    }
  }

  /** Checks a listing prefix: like a key, but may be empty (everything) or end with '/'. */
  public static String checkPrefix(String prefix) {
    if (prefix == null) throw new IllegalArgumentException("prefix == null");
    if (prefix.isEmpty()) return prefix;
    String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    check(trimmed);
    return prefix;
  }
}
