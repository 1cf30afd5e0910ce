package dev.urae.tests.terraform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code terraform} executable, configured to install providers only from the machine's
 * filesystem mirror and never to call home. Every run gets a clean AWS environment: inherited
 * {@code AWS_*} variables are dropped so that nothing but the emulator given by the caller can
 * be reached.
 */
public final class TerraformCli {
  /** Overrides where the provider mirror lives (default {@code /opt/tf-plugins}). */
  public static final String MIRROR_VARIABLE = "URAE_TF_PLUGIN_MIRROR";
  static final Path DEFAULT_MIRROR = Path.of("/opt/tf-plugins");
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private static TerraformCli shared;

  private final String executable;
  private final Path cliConfig;
  private final Path mirror;

  private TerraformCli(String executable, Path cliConfig, Path mirror) {
    this.executable = executable;
    this.cliConfig = cliConfig;
    this.mirror = mirror;
  }

  /**
   * The configured CLI, or empty when {@code terraform} is not on the PATH (tests then skip and
   * say why). A missing provider mirror is an error, not a reason to skip.
   */
  public static synchronized Optional<TerraformCli> find() {
    if (shared != null) return Optional.of(shared);
    String executable = onPath("terraform");
    if (executable == null) return Optional.empty();
    Path mirror = Path.of(Optional.ofNullable(System.getenv(MIRROR_VARIABLE)).orElse(DEFAULT_MIRROR.toString()));
    Path provider = mirror.resolve("registry.terraform.io/hashicorp/aws");
    if (!Files.isDirectory(provider)) {
      throw new IllegalStateException("no hashicorp/aws provider in the Terraform filesystem mirror " + provider
          + ": install it there (registry.terraform.io/hashicorp/aws/<version>/linux_amd64/) or set "
          + MIRROR_VARIABLE + " to the mirror's root");
    }
    shared = new TerraformCli(executable, writeCliConfig(mirror), mirror);
    return Optional.of(shared);
  }

  public Path mirror() {
    return mirror;
  }

  /** Runs {@code terraform args...} in {@code dir}; fails with the whole output on a non-zero exit. */
  public Result run(Path dir, Map<String, String> environment, String... args) {
    Result result = runAllowingFailure(dir, environment, args);
    if (result.exitCode() != 0) {
      throw new AssertionError("terraform " + String.join(" ", args) + " in " + dir + " exited "
          + result.exitCode() + ":\n" + result.output() + result.errors());
    }
    return result;
  }

  public Result runAllowingFailure(Path dir, Map<String, String> environment, String... args) {
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(key -> key.startsWith("AWS_") || key.startsWith("TF_"));
    env.put("TF_CLI_CONFIG_FILE", cliConfig.toString());
    env.put("TF_IN_AUTOMATION", "1");
    env.put("TF_INPUT", "0");
    env.put("CHECKPOINT_DISABLE", "1");
    env.putAll(environment);
    long start = System.nanoTime();
    try {
      Path out = Files.createTempFile("terraform-", ".out");
      Path err = Files.createTempFile("terraform-", ".err");
      builder.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process process = builder.start();
      boolean finished = process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (!finished) process.destroyForcibly();
      String output = Files.readString(out, StandardCharsets.UTF_8);
      String errors = Files.readString(err, StandardCharsets.UTF_8);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      if (!finished) {
        throw new AssertionError("terraform " + String.join(" ", args) + " did not finish within " + TIMEOUT
            + ":\n" + output + errors);
      }
      return new Result(process.exitValue(), output, errors, Duration.ofNanos(System.nanoTime() - start));
    } catch (IOException e) {
      throw new UncheckedIOException("could not run terraform " + String.join(" ", args), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running terraform", e);
    }
  }

  /** What one Terraform command printed (stdout and stderr apart) and how long it took. */
  public record Result(int exitCode, String output, String errors, Duration elapsed) {}

  // The mirror is the only installation source; `direct` is excluded for every hashicorp
  // provider so that a missing mirror entry fails instead of reaching for a registry.
  private static Path writeCliConfig(Path mirror) {
    String config = """
        disable_checkpoint = true

        provider_installation {
          filesystem_mirror {
            path    = "%s"
            include = ["registry.terraform.io/hashicorp/*"]
          }
          direct {
            exclude = ["registry.terraform.io/*/*"]
          }
        }
        """.formatted(mirror.toAbsolutePath());
    try {
      Path file = Files.createTempFile("urae-terraform-", ".tfrc");
      Files.writeString(file, config);
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the Terraform CLI configuration", e);
    }
  }

  private static String onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) return null;
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) return candidate.toString();
    }
    return null;
  }
}
