package dev.urae.batch.report;

import dev.urae.infra.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that every link of an HTML page in the store resolves to an object: each {@code href}
 * and {@code src} attribute of each tag is resolved against the page's folder and looked up.
 * In-page anchors ({@code #x}) and {@code data:} URIs need no object; absolute URLs
 * ({@code http:}, {@code //host}, ...) are reported as broken because the report must stand alone.
 */
public final class ReportLinkChecker {
  private static final Pattern TAG = Pattern.compile("<[A-Za-z][^<>]*>");
  private static final Pattern LINK = Pattern.compile(
      "\\s(href|src)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'>]+))", Pattern.CASE_INSENSITIVE);
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

  /** A link that does not resolve, and why. */
  public record BrokenLink(String link, String reason) {
    @Override
    public String toString() {
      return link + " (" + reason + ")";
    }
  }

  /** Every link of a page and those among them that are broken. */
  public record Result(String pageKey, List<String> links, List<BrokenLink> broken) {
    public Result {
      links = List.copyOf(links);
      broken = List.copyOf(broken);
    }

    public boolean ok() {
      return broken.isEmpty();
    }
  }

  private ReportLinkChecker() {}

  /** Every {@code href} and {@code src} value in {@code html}, entities decoded, in page order. */
  public static List<String> links(String html) {
    List<String> links = new ArrayList<>();
    Matcher tag = TAG.matcher(html);
    while (tag.find()) {
      Matcher link = LINK.matcher(tag.group());
      while (link.find()) {
        String value = link.group(2) != null ? link.group(2) : link.group(3) != null ? link.group(3) : link.group(4);
        links.add(Html.unescape(value));
      }
    }
    return links;
  }

  /** Reads the page at {@code pageKey} and checks each of its links. */
  public static Result check(ObjectStore store, String pageKey) throws IOException {
    String html;
    try (InputStream in = store.get(pageKey)) {
      html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> links = links(html);
    List<BrokenLink> broken = new ArrayList<>();
    String folder = pageKey.contains("/") ? pageKey.substring(0, pageKey.lastIndexOf('/') + 1) : "";
    for (String link : links) {
      String problem = problem(store, folder, link);
      if (problem != null) broken.add(new BrokenLink(link, problem));
    }
    return new Result(pageKey, links, broken);
  }

  private static String problem(ObjectStore store, String folder, String link) throws IOException {
    if (link.isEmpty()) return "empty link";
    if (link.startsWith("#")) return null;
    if (link.toLowerCase(Locale.ROOT).startsWith("data:")) return null;
    if (link.startsWith("//") || SCHEME.matcher(link).find()) {
      return "absolute link; the report must be self-contained";
    }
    if (link.startsWith("/")) return "root-relative link; the report must use relative links";
    String path = link.replaceFirst("[?#].*$", "");
    String decoded;
    try {
      decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "bad percent-encoding";
    }
    String key = resolve(folder + decoded);
    if (key == null) return "points outside the store";
    if (key.isEmpty() || key.endsWith("/")) return "points at a folder, not an object";
    return store.exists(key) ? null : "no object " + key;
  }

  /** Normalises {@code .} and {@code ..} segments; null when the path climbs above the root. */
  private static String resolve(String path) {
    Deque<String> segments = new ArrayDeque<>();
    String[] parts = path.split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.equals("..")) {
        if (segments.isEmpty()) return null;
        segments.removeLast();
      } else if (!part.equals(".") && !(part.isEmpty() && i < parts.length - 1)) {
        segments.addLast(part);
      }
    }
    return String.join("/", segments);
  }
}
