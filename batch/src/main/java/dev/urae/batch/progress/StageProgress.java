package dev.urae.batch.progress;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Shows a stage's progress: on a terminal, a bar redrawn in place (done/total, rate, ETA);
 * otherwise a plain line at most every {@code interval}, plus one at the start and end, so
 * logs of long runs stay readable.
 */
public final class StageProgress {
  private static final int BAR_WIDTH = 24;

  private final PrintStream out;
  private final boolean terminal;
  private final Duration interval;
  private String stage;
  private long total;
  private long reused;
  private long startNanos;
  private long lastPrintNanos;

  public StageProgress(PrintStream out, boolean terminal, Duration interval) {
    this.out = out;
    this.terminal = terminal;
    this.interval = interval;
  }

  /** Progress on stderr; a bar when a person is watching. */
  public static StageProgress forConsole(Duration interval) {
    return new StageProgress(System.err, System.console() != null, interval);
  }

  public synchronized void start(String stage, long total, long reused) {
    this.stage = stage;
    this.total = total;
    this.reused = reused;
    this.startNanos = System.nanoTime();
    this.lastPrintNanos = startNanos;
    String reuse = reused > 0 ? " (" + reused + " already done)" : "";
    if (terminal) {
      draw(reused, 0);
    } else {
      out.println("[" + stage + "] " + total + " task" + (total == 1 ? "" : "s") + reuse);
    }
  }

  public synchronized void update(long done, long failed) {
    long now = System.nanoTime();
    if (terminal) {
      draw(done, failed);
    } else if (now - lastPrintNanos >= interval.toNanos()) {
      out.println("[" + stage + "] " + line(done, failed));
      lastPrintNanos = now;
    }
  }

  /** The stage's last line: done, or FAILED (with tasks that failed, or outputs that cannot serve). */
  public synchronized void finish(long done, long failed, boolean succeeded) {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    if (terminal) {
      draw(done, failed);
      out.println();
    }
    out.println("[" + stage + "] " + (succeeded ? "done" : "FAILED") + ": " + done + "/" + total
        + " tasks" + (failed > 0 ? ", " + failed + " failed" : "") + " in " + format(elapsed));
  }

  /** A line about the stage's outcome, after {@link #finish}. */
  public synchronized void say(String message) {
    out.println("[" + stage + "] " + message);
  }

  /** A one-off message for long work without tasks (ingest counts lines). */
  public synchronized void note(String message) {
    long now = System.nanoTime();
    if (terminal) {
      out.print("\r" + message + "\u001B[K");
      out.flush();
    } else if (now - lastPrintNanos >= interval.toNanos()) {
      out.println(message);
      lastPrintNanos = now;
    }
  }

  /** Ends a line of {@link #note} output on a terminal. */
  public synchronized void endNote(String message) {
    if (terminal) out.print("\r\u001B[K");
    out.println(message);
  }

  private void draw(long done, long failed) {
    int filled = total == 0 ? BAR_WIDTH : (int) (BAR_WIDTH * done / total);
    String bar = "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled);
    out.print("\r" + String.format("%-8s", stage) + " [" + bar + "] " + line(done, failed) + "\u001B[K");
    out.flush();
  }

  private String line(long done, long failed) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    long fresh = done - reused;
    double rate = seconds > 0 ? fresh / seconds : 0;
    String eta = rate > 0 ? format(Duration.ofSeconds((long) ((total - done) / rate))) : "?";
    return done + "/" + total + (failed > 0 ? " (" + failed + " failed)" : "")
        + String.format("  %.2f tasks/s  ETA %s", rate, eta);
  }

  public static String format(Duration d) {
    long s = d.toSeconds();
    if (s < 60) return String.format("%.1fs", d.toMillis() / 1000.0);
    return String.format("%d:%02d", s / 60, s % 60);
  }
}
