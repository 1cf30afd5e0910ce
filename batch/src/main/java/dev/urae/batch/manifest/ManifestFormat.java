package dev.urae.batch.manifest;

import java.util.Locale;

/** How a manifest's lines are read: JSON objects, or one plain prompt per line. */
public enum ManifestFormat {
  JSONL,
  TEXT;

  /** {@code .txt} manifests are one prompt per line; everything else is JSON Lines. */
  public static ManifestFormat of(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(".txt") ? TEXT : JSONL;
  }

  public String extension() {
    return this == TEXT ? "txt" : "jsonl";
  }
}
