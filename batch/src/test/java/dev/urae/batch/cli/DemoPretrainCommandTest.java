package dev.urae.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code urae demo pretrain}: settings it cannot use are refused before any training, by option. */
class DemoPretrainCommandTest {
  @TempDir Path out;

  @Test
  void refusesANegativeRefinementStepCount() {
    // when
    String err = refused("demo", "pretrain", "--refine-steps", "-1", "--out", out.toString());

    // then
    assertThat(err).contains("--refine-steps").contains("refinement steps must be 0 or more, was -1");
  }

  @Test
  void refusesRefinementStepsWhenOnlyDistilling() {
    // when
    String err = refused("demo", "pretrain", "--from-teacher", out.resolve("teacher").toString(), "--refine-steps", "10", "--out", out.toString());

    // then
    assertThat(err).contains("--from-teacher distils an existing teacher").contains("--refine-steps");
  }

  @Test
  void refusesBothStartingPoints() {
    // when
    String err = refused("demo", "pretrain", "--from-teacher", out.resolve("teacher").toString(), "--from-first-phase", out.resolve("phase1").toString(),
        "--out", out.toString());

    // then
    assertThat(err).contains("--from-teacher and --from-first-phase: give one");
  }

  @Test
  void refusesFirstPhaseSettingsWhenContinuingFromAFirstPhase() {
    // when
    String err = refused("demo", "pretrain", "--from-first-phase", out.resolve("phase1").toString(), "--steps", "100", "--out", out.toString());

    // then
    assertThat(err).contains("--from-first-phase continues from a pretrained teacher").contains("--steps");
  }

  /** Runs the command, expects the usage exit code 2 and nothing written; returns stderr. */
  private String refused(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = UraeMain.newCommandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute(args)).isEqualTo(2);
    assertThat(out.toFile().list()).isEmpty();
    return err.toString();
  }
}
