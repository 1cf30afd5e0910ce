package dev.urae.batch.manifest;

import java.io.IOException;
import java.io.InputStream;


/**
 * Reads a manifest as a stream of lines and decides about each one, in order. Memory is
 * bounded by the buffer (1 MiB), one line and the id registry (16 bytes per id): a manifest of
 * any length streams through.
 *
 * <p>Lines end at LF; a CR before it is dropped (CRLF files are fine). A UTF-8 byte-order mark
 * at the very start is skipped. A line longer than {@value #MAX_LINE_BYTES} bytes is rejected
 * without being buffered.
 */
public final class ManifestScanner {
  public static final int MAX_LINE_BYTES = 64 * 1024;
  private static final int BUFFER_BYTES = 1 << 20;

  /** Receives every verdict, in line order. */
  @FunctionalInterface
  public interface VerdictSink {
    void accept(LineVerdict verdict) throws IOException;
  }

  private final ManifestLineParser parser;

  public ManifestScanner(ManifestFormat format, ItemDefaults defaults) {
    this.parser = new ManifestLineParser(format, defaults);
  }

  /** Streams {@code in} to the end, feeding {@code sink}; returns the counts. */
  public ValidationSummary scan(InputStream in, VerdictSink sink) throws IOException {
    IdRegistry ids = new IdRegistry();
    long[] counts = new long[3]; // accepted, rejected, blank
    VerdictSink counting = verdict -> {
      LineVerdict v = verdict;
      if (v instanceof LineVerdict.Accepted a) {
        long first = ids.register(a.item().id(), a.line());
        if (first != 0) {
          v = new LineVerdict.Rejected(a.line(), "duplicate id '" + a.item().id() + "' (first used on line " + first + ")");
        }
      }
      counts[v instanceof LineVerdict.Accepted ? 0 : v instanceof LineVerdict.Rejected ? 1 : 2]++;
      sink.accept(v);
    };
    long lines = splitLines(in, counting);
    return new ValidationSummary(lines, counts[0], counts[1], counts[2]);
  }

  private long splitLines(InputStream in, VerdictSink sink) throws IOException {
    byte[] buffer = new byte[BUFFER_BYTES];
    int start = 0; // first byte of the current line
    int end = 0; // end of valid data
    long line = 0;
    boolean first = true;
    boolean overlong = false; // skipping the rest of a line that is too long
    while (true) {
      int read = in.read(buffer, end, buffer.length - end);
      boolean eof = read < 0;
      if (!eof) end += read;
      if (first && end - start >= 3) {
        if ((buffer[0] & 0xFF) == 0xEF && (buffer[1] & 0xFF) == 0xBB && (buffer[2] & 0xFF) == 0xBF) start = 3;
        first = false;
      }
      int scan = start;
      while (true) {
        int newline = indexOf(buffer, (byte) '\n', scan, end);
        if (newline < 0) break;
        line++;
        if (overlong) {
          sink.accept(tooLong(line));
          overlong = false;
        } else {
          emit(line, buffer, start, newline, sink);
        }
        start = newline + 1;
        scan = start;
      }
      if (eof) {
        if (first) first = false;
        if (overlong) {
          sink.accept(tooLong(++line));
        } else if (end > start) {
          emit(++line, buffer, start, end, sink);
        }
        return line;
      }
      if (!overlong && end - start > MAX_LINE_BYTES) {
        overlong = true; // drop what we have; keep skipping until the next newline
        start = end;
      }
      if (overlong) {
        start = 0;
        end = 0;
      } else if (start > 0) {
        System.arraycopy(buffer, start, buffer, 0, end - start);
        end -= start;
        start = 0;
      }
    }
  }

  private void emit(long line, byte[] buffer, int from, int to, VerdictSink sink) throws IOException {
    int length = to - from;
    if (length > 0 && buffer[to - 1] == '\r') length--;
    if (length > MAX_LINE_BYTES) {
      sink.accept(tooLong(line));
      return;
    }
    sink.accept(parser.parse(line, buffer, from, length));
  }

  private static LineVerdict tooLong(long line) {
    return new LineVerdict.Rejected(line, "line is longer than " + MAX_LINE_BYTES + " bytes");
  }

  private static int indexOf(byte[] buffer, byte value, int from, int to) {
    for (int i = from; i < to; i++) {
      if (buffer[i] == value) return i;
    }
    return -1;
  }

}
