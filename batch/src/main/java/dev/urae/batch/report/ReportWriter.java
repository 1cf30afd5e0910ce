package dev.urae.batch.report;

import dev.urae.batch.teacher.ImageCodec;
import dev.urae.batch.teacher.ImageFit;
import dev.urae.infra.store.Keys;
import dev.urae.infra.store.NoSuchObjectException;
import dev.urae.infra.store.ObjectStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a run's report into the store under {@code <runPrefix>report/}: {@code index.html},
 * {@code summary.json}, and one PNG thumbnail per gallery image under {@code thumbs/}.
 *
 * <p>A gallery image that is absent or unreadable does not stop the report: its cell says so
 * (without a link, so the page has no broken links) and its key is listed in
 * {@link WrittenReport#missingImages()} and in {@code summary.json}.
 */
public final class ReportWriter {
  /** The longer side of a thumbnail at most, in pixels (small images are enlarged by a whole factor up to it). */
  public static final int DEFAULT_THUMBNAIL_SIZE = 256;
  public static final String REPORT_FOLDER = "report/";
  public static final String INDEX = "index.html";
  public static final String SUMMARY = "summary.json";

  private static final Logger log = LoggerFactory.getLogger(ReportWriter.class);

  private final ObjectStore store;
  private final int thumbnailSize;

  public ReportWriter(ObjectStore store) {
    this(store, DEFAULT_THUMBNAIL_SIZE);
  }

  public ReportWriter(ObjectStore store, int thumbnailSize) {
    this.store = Objects.requireNonNull(store, "store == null");
    if (thumbnailSize < 16) throw new IllegalArgumentException("thumbnailSize must be >= 16, got " + thumbnailSize);
    this.thumbnailSize = thumbnailSize;
  }

  /**
   * Writes the report of the run whose folder is {@code runPrefix} (e.g. {@code runs/abc/}; empty
   * for a store rooted at the run folder). Gallery and rejects keys in {@code report} are relative to
   * that folder.
   */
  public WrittenReport write(RunReport report, String runPrefix) throws IOException {
    Objects.requireNonNull(report, "report == null");
    Keys.checkPrefix(Objects.requireNonNull(runPrefix, "runPrefix == null"));
    if (!runPrefix.isEmpty() && !runPrefix.endsWith("/")) {
      throw new IllegalArgumentException("runPrefix must be empty or end with '/': " + runPrefix);
    }
    String reportPrefix = runPrefix + REPORT_FOLDER;
    List<String> thumbnails = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<List<ShownImage>> gallery = new ArrayList<>();
    for (GalleryEntry entry : report.gallery()) {
      List<ShownImage> row = new ArrayList<>();
      for (int column = 0; column < entry.panels().size(); column++) {
        GalleryEntry.Panel panel = entry.panels().get(column);
        row.add(panel.key() == null ? ShownImage.none(panel.column()) : show(runPrefix, reportPrefix, entry, column, panel));
      }
      for (ShownImage image : row) {
        if (image.isMissing()) missing.add(image.key());
        else if (!image.isNone()) thumbnails.add(reportPrefix + image.thumbnail());
      }
      gallery.add(row);
    }
    boolean rejectsLinked = report.rejects().location() != null
        && isKey(report.rejects().location()) && store.exists(runPrefix + report.rejects().location());

    String indexKey = reportPrefix + INDEX;
    String summaryKey = reportPrefix + SUMMARY;
    store.put(indexKey, ReportPage.render(report, gallery, rejectsLinked).getBytes(StandardCharsets.UTF_8));
    store.put(summaryKey, ReportJson.write(report, missing));
    if (!missing.isEmpty()) log.warn("report of run {}: {} gallery images missing", report.runId(), missing.size());
    return new WrittenReport(indexKey, summaryKey, thumbnails, missing);
  }

  private ShownImage show(String runPrefix, String reportPrefix, GalleryEntry entry, int column, GalleryEntry.Panel panel)
      throws IOException {
    String role = panel.column();
    String key = panel.key();
    if (!isKey(key)) return ShownImage.missing(role, key, "has an invalid key");
    BufferedImage image;
    try (InputStream in = store.get(runPrefix + key)) {
      image = ImageCodec.decodeRgb(in, store.uri(runPrefix + key).toString());
    } catch (NoSuchObjectException e) {
      return ShownImage.missing(role, key, "is missing");
    } catch (IOException e) {
      if (e instanceof dev.urae.infra.store.StoreAccessDeniedException) throw e;
      log.warn("report of run: cannot read {}: {}", key, e.getMessage());
      return ShownImage.missing(role, key, "is unreadable");
    }
    BufferedImage thumb = thumbnail(image);
    String thumbnail = "thumbs/" + fileSafe(entry.itemId()) + "-" + column + ".png";
    store.put(reportPrefix + thumbnail, ImageCodec.encodePng(thumb));
    return ShownImage.shown(role, key, image.getWidth(), image.getHeight(), thumbnail, thumb.getWidth(), thumb.getHeight());
  }

  /**
   * Small images are enlarged by a whole factor with nearest-neighbour sampling, so that every
   * pixel shows as a sharp square (a 32-pixel render is judged by its pixels, not by a blur of
   * them); large ones are shrunk to fit.
   */
  BufferedImage thumbnail(BufferedImage image) {
    int longer = Math.max(image.getWidth(), image.getHeight());
    if (longer > thumbnailSize) return ImageFit.fitWithin(image, thumbnailSize);
    int factor = thumbnailSize / longer;
    BufferedImage out = new BufferedImage(image.getWidth() * factor, image.getHeight() * factor, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < out.getHeight(); y++) {
      for (int x = 0; x < out.getWidth(); x++) out.setRGB(x, y, image.getRGB(x / factor, y / factor));
    }
    return out;
  }

  private static boolean isKey(String key) {
    try {
      Keys.check(key);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The item id when it is already a safe file name, else a cleaned form plus a short hash. */
  static String fileSafe(String itemId) {
    String cleaned = itemId.replaceAll("[^A-Za-z0-9._-]", "_");
    if (cleaned.equals(itemId) && !cleaned.startsWith(".")) return cleaned;
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(itemId.getBytes(StandardCharsets.UTF_8));
      return cleaned.replaceFirst("^\\.", "_") + "-" + HexFormat.of().formatHex(hash, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256", e);
    }
  }
}
