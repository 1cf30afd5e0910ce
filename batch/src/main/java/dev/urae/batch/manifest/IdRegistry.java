package dev.urae.batch.manifest;

import java.nio.charset.StandardCharsets;

/**
 * Remembers which ids a manifest has used and on which line, to reject duplicates. To keep
 * memory flat for million-line manifests it stores a 64-bit fingerprint and a line number per
 * id (16 bytes each, open addressing) instead of the strings. Two distinct ids share a
 * fingerprint with probability about n²/2⁶⁵ (3·10⁻⁸ for a million ids); the rejection message
 * names both lines, so such a case is visible.
 */
final class IdRegistry {
  private static final long EMPTY = 0;
  private long[] fingerprints = new long[1 << 12];
  private long[] lines = new long[1 << 12];
  private int size;

  /** Registers {@code id} first seen on {@code line}; returns the earlier line if already used, else 0. */
  long register(String id, long line) {
    if (size * 2 >= fingerprints.length) grow();
    long fingerprint = fingerprint(id);
    int mask = fingerprints.length - 1;
    for (int i = (int) (fingerprint ^ (fingerprint >>> 32)) & mask; ; i = (i + 1) & mask) {
      if (fingerprints[i] == EMPTY) {
        fingerprints[i] = fingerprint;
        lines[i] = line;
        size++;
        return 0;
      }
      if (fingerprints[i] == fingerprint) return lines[i];
    }
  }

  int size() {
    return size;
  }

  private void grow() {
    long[] oldFingerprints = fingerprints;
    long[] oldLines = lines;
    fingerprints = new long[oldFingerprints.length * 2];
    lines = new long[oldLines.length * 2];
    int mask = fingerprints.length - 1;
    for (int j = 0; j < oldFingerprints.length; j++) {
      long fingerprint = oldFingerprints[j];
      if (fingerprint == EMPTY) continue;
      int i = (int) (fingerprint ^ (fingerprint >>> 32)) & mask;
      while (fingerprints[i] != EMPTY) i = (i + 1) & mask;
      fingerprints[i] = fingerprint;
      lines[i] = oldLines[j];
    }
  }

  /** FNV-1a over the UTF-8 bytes, then a SplitMix64 finish; never the EMPTY marker. */
  private static long fingerprint(String id) {
    long h = 0xcbf29ce484222325L;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xFF)) * 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
    h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
    h ^= h >>> 31;
    return h == EMPTY ? 1 : h;
  }
}
