package dev.urae.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DoctorCommandTest {
  @Test
  void onTheCpuTheEngineLoadsAndBothChecksPass() {
    // given
    StringWriter out = new StringWriter();
    CommandLine doctor = UraeMain.newCommandLine();
    doctor.setOut(new PrintWriter(out));

    // when
    int exit = doctor.execute("doctor", "--device", "cpu");

    // then
    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString())
        .contains("device      cpu")
        .containsPattern("libtorch    2\\.\\d+\\.\\d+")
        .contains("CUDA        ")
        .containsPattern("memory      host \\d+ MiB, Java heap max \\d+ MiB")
        .containsPattern("matmul      256x256: ok")
        .containsPattern("attention   .*fused vs explicit: ok")
        .endsWith("doctor: ok\n");
  }

  @Test
  void aGpuThatIsNotThereIsRefusedNamingTheOption() {
    // given
    StringWriter err = new StringWriter();
    CommandLine doctor = UraeMain.newCommandLine();
    doctor.setErr(new PrintWriter(err));

    // when
    int exit = doctor.execute("doctor", "--device", "cuda:7");

    // then
    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("device 'cuda:7'");
  }
}
