package dev.urae.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Runs python3 scripts for cross-checks against the reference Python packages. */
public final class Python {
  // Importing torch or peft takes seconds; ask once per set of modules.
  private static final Map<String, Boolean> IMPORTABLE = new ConcurrentHashMap<>();

  private Python() {}

  /** Whether python3 can import every module named (comma-separated, as in an import line). */
  public static boolean canImport(String modules) {
    return IMPORTABLE.computeIfAbsent(modules, m -> {
      try {
        return run("import " + m + "; print('yes')").trim().equals("yes");
      } catch (IOException | InterruptedException e) {
        return false;
      }
    });
  }

  /**
   * Runs {@code script} with {@code args} as sys.argv[1:]; returns its output (stdout and stderr).
   *
   * @throws IOException when it exits non-zero (the message holds its output) or takes over two minutes
   */
  public static String run(String script, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("python3", "-c", script));
    command.addAll(List.of(args));
    return run(command, 120);
  }

  /** Runs the script file {@code script} with {@code args}, allowing {@code timeoutSeconds}. */
  public static String runFile(Path script, long timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("python3", script.toString()));
    command.addAll(List.of(args));
    return run(command, timeoutSeconds);
  }

  private static String run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("python3 timed out");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) throw new IOException("python3 failed: " + text);
    return text;
  }
}
