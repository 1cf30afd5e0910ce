package dev.urae.tests.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code urae} CLI as a separate process, with this test JVM's class path (which
 * includes the test stages of the batch module's test jar), so that tests can kill it, read
 * its output and exit code, and run it against real services.
 */
public final class UraeCli {
  private final Path workDir;
  private final Map<String, String> environment;
  private final List<String> jvmOptions;

  public UraeCli(Path workDir, Map<String, String> environment, List<String> jvmOptions) {
    this.workDir = workDir;
    this.environment = Map.copyOf(environment);
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /** The same CLI with {@code more} added to (or replacing part of) the environment. */
  public UraeCli with(Map<String, String> more) {
    Map<String, String> merged = new java.util.HashMap<>(environment);
    merged.putAll(more);
    return new UraeCli(workDir, merged, jvmOptions);
  }

  /** Output of a finished command. */
  public record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  /** Starts a command; stdout and stderr go to files beside the work folder. */
  public Started start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-Dai.djl.offline=true");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.urae.batch.cli.UraeMain");
    command.addAll(List.of(args));
    Path out = Files.createTempFile(workDir, "stdout-", ".txt");
    Path err = Files.createTempFile(workDir, "stderr-", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(environment);
    return new Started(builder.start(), out, err);
  }

  public Result run(Duration timeout, String... args) throws IOException, InterruptedException {
    return start(args).await(timeout);
  }

  /** A running command. */
  public record Started(Process process, Path stdout, Path stderr) {
    public String stdoutSoFar() throws IOException {
      return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    public Result await(Duration timeout) throws IOException, InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("urae did not finish within " + timeout + ":\n" + stdoutSoFar()
            + Files.readString(stderr));
      }
      return new Result(process.exitValue(), stdoutSoFar(), Files.readString(stderr, StandardCharsets.UTF_8));
    }
  }
}
