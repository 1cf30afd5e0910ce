package dev.urae.batch.manifest;

/** A strict UTF-8 check that reports where the first bad byte is (the JDK decoders do not). */
final class Utf8 {
  private Utf8() {}

  /** Returns the offset (from {@code from}) of the first byte that breaks UTF-8, or -1. */
  static int firstInvalid(byte[] bytes, int from, int length) {
    int i = from;
    int end = from + length;
    while (i < end) {
      int b = bytes[i];
      if (b >= 0) { // ASCII fast path
        i++;
        continue;
      }
      int needed;
      int min;
      if ((b & 0xE0) == 0xC0) {
        needed = 1;
        min = 0x80;
      } else if ((b & 0xF0) == 0xE0) {
        needed = 2;
        min = 0x800;
      } else if ((b & 0xF8) == 0xF0) {
        needed = 3;
        min = 0x10000;
      } else {
        return i - from;
      }
      if (i + needed >= end) return i - from; // truncated sequence
      int codePoint = b & (0x3F >> needed);
      for (int k = 1; k <= needed; k++) {
        int c = bytes[i + k];
        if ((c & 0xC0) != 0x80) return i - from;
        codePoint = (codePoint << 6) | (c & 0x3F);
      }
      if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
        return i - from;
      }
      i += needed + 1;
    }
    return -1;
  }
}
