package dev.urae.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigtermCheckpointTest {
  @TempDir Path folder;

  @Test
  void sigtermMakesTheTrainerWriteACheckpointBeforeExiting() throws Exception {
    // given a trainer running in a child JVM, past its third step
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
        SigtermTrainingMain.class.getName(), folder.toString()).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.equals("step 3")) {
        // skip start-up output
      }
      assertThat(line).as("child output ended before step 3").isEqualTo("step 3");

      // when it receives SIGTERM (Process.destroy sends SIGTERM on Linux)
      child.destroy();
      boolean exited = child.waitFor(60, TimeUnit.SECONDS);

      // then it exits, having written a checkpoint at a step of at least 3
      assertThat(exited).isTrue();
      var checkpoint = new FolderCheckpointStore(folder).latest();
      assertThat(checkpoint).isPresent();
      assertThat(checkpoint.get().step()).isGreaterThanOrEqualTo(3);
      assertThat(checkpoint.get().files()).containsKeys(TrainingCheckpoint.ADAPTER, TrainingCheckpoint.OPTIMIZER, TrainingCheckpoint.TRAINER);
    } finally {
      child.destroyForcibly();
    }
  }
}
