package dev.urae.tests.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.tests.support.UraeCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI contract of the foundation issue, checked on the command as a separate process. */
class CliContractTest {
  @TempDir Path work;

  /** The job with the test stage instead of the URAE stages: this is about the CLI, not the recipe. */
  private UraeCli cli() {
    return new UraeCli(work, Map.of(), List.of("-Dspring.profiles.active=test-stages"));
  }

  @Test
  void validateReportsEachRejectedLineOnStderrAndExitsTwo() throws Exception {
    // given
    Path manifest = Files.writeString(work.resolve("m.jsonl"), "{\"prompt\":\"ok\"}\n\n{\"promt\":\"x\"}\n[1]\n");
    // when (with a teacher that draws any prompt, so that only rejects are reported)
    UraeCli.Result result = cli().run(Duration.ofSeconds(60), "validate", manifest.toString(), "--set", "teacher.kind=http");
    // then
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stdout().strip()).isEqualTo("1 accepted, 2 rejected, 1 blank");
    assertThat(result.stderr().lines().toList()).containsExactly(
        manifest + ":3: unknown field 'promt' (known: prompt, id, generated_prompt, seed, width, height, tags)",
        manifest + ":4: expected a JSON object, got an array");
  }

  @Test
  void validateExitsZeroWhenEverythingIsAccepted() throws Exception {
    Path manifest = Files.writeString(work.resolve("ok.txt"), "a cat\na dog\n");
    UraeCli.Result result = cli().run(Duration.ofSeconds(60), "validate", manifest.toString(), "--set", "teacher.kind=http");
    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout().strip()).isEqualTo("2 accepted, 0 rejected, 0 blank");
  }

  @Test
  void validateWarnsAboutPromptsTheDemoTeacherWouldRefuse() throws Exception {
    // given one prompt of the demo grammar and one outside it
    Path manifest = Files.writeString(work.resolve("mixed.txt"),
        "a large red striped circle at the top left on a white background\na red fox in snow\n");
    // when the run would use the default teacher
    UraeCli.Result result = cli().run(Duration.ofSeconds(60), "validate", manifest.toString());
    // then the line is named, with the words outside the grammar and where the grammar is described
    assertThat(result.exitCode()).isZero();
    assertThat(result.stderr().lines().toList()).containsExactly(manifest + ":2: warning: the words \"fox\", \"in\", \"snow\" are "
        + "outside the demo grammar; the demo teacher draws only prompts of the demo grammar (docs/demo-grammar.md), "
        + "e.g. \"a large red striped circle at the top left on a white background\"");
    assertThat(result.stdout().lines().toList()).containsExactly("2 accepted, 0 rejected, 0 blank",
        "warning: the demo teacher (pipeline option teacher.kind, the default) would refuse 1 of 2 training items; "
            + "the demo grammar is described in docs/demo-grammar.md");
  }

  @Test
  void unreadableInputsExitOneNamingThePath() throws Exception {
    // given
    Path missing = work.resolve("missing.jsonl");
    Path unreadable = Files.writeString(work.resolve("secret.jsonl"), "{\"prompt\":\"x\"}\n");
    Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
    boolean root = "root".equals(System.getProperty("user.name"));
    // when
    UraeCli.Result noFile = cli().run(Duration.ofSeconds(60), "validate", missing.toString());
    UraeCli.Result directory = cli().run(Duration.ofSeconds(60), "validate", work.toString());
    UraeCli.Result denied = cli().run(Duration.ofSeconds(60), "validate", unreadable.toString());
    // then
    assertThat(noFile.exitCode()).isEqualTo(1);
    assertThat(noFile.stderr()).contains(missing + ": no such file");
    assertThat(directory.exitCode()).isEqualTo(1);
    assertThat(directory.stderr()).contains(work + ": is a directory");
    if (!root) { // root reads any file, so permission errors cannot be provoked as root
      assertThat(denied.exitCode()).isEqualTo(1);
      assertThat(denied.stderr()).contains(unreadable + ": permission denied");
    }
  }

  @Test
  void runPrintsTheRunIdFirstAndASecondLaunchSaysWhichRunCoversIt() throws Exception {
    // given
    Path manifest = Files.writeString(work.resolve("p.jsonl"), "{\"prompt\":\"a small test\"}\n");
    String dataDir = work.resolve("data").toString();
    // when
    UraeCli.Result first = cli().run(Duration.ofSeconds(120), "run", manifest.toString(), "--data-dir", dataDir);
    UraeCli.Result second = cli().run(Duration.ofSeconds(120), "run", manifest.toString(), "--data-dir", dataDir);
    // then
    assertThat(first.exitCode()).as(first.toString()).isZero();
    String runLine = first.stdout().lines().findFirst().orElseThrow();
    assertThat(runLine).matches("run [0-9a-f]{16}");
    assertThat(first.stdout()).contains("completed; results in " + work.resolve("data/runs/" + runLine.substring(4)));
    assertThat(second.exitCode()).isZero();
    assertThat(second.stdout()).contains(runLine.substring(4) + " already covers this manifest");
  }

  @Test
  void aConfigFileSetsPipelineOptionsAndATypoIsRefusedByName() throws Exception {
    // given: a run configuration file with a misspelt stage option
    Path manifest = Files.writeString(work.resolve("c.jsonl"), "{\"prompt\":\"a config test\"}\n");
    Path config = Files.writeString(work.resolve("run.yaml"), "urae:\n  pipeline:\n    adapt:\n      stpes: 5\n");
    // when
    UraeCli.Result result = cli().run(Duration.ofSeconds(120), "run", manifest.toString(), "--config", config.toString(),
        "--data-dir", work.resolve("data").toString());
    // then
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr()).contains("unknown pipeline option 'adapt.stpes'", "adapt.steps");
  }
}
