package dev.urae.batch.report;

import java.util.List;

/**
 * What {@link ReportWriter} wrote. Keys are full store keys.
 *
 * @param indexKey      {@code <run>/report/index.html}
 * @param summaryKey    {@code <run>/report/summary.json}
 * @param thumbnailKeys every thumbnail written
 * @param missingImages run-relative keys of gallery images that were absent or unreadable
 */
public record WrittenReport(String indexKey, String summaryKey, List<String> thumbnailKeys, List<String> missingImages) {
  public WrittenReport {
    thumbnailKeys = List.copyOf(thumbnailKeys);
    missingImages = List.copyOf(missingImages);
  }
}
