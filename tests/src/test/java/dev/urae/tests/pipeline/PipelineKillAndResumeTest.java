package dev.urae.tests.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.tests.support.UraeCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} during adapt, then resume: training continues from the last checkpoint and
 * ends with the same adapter as an uninterrupted run; {@code kill -9} during render, then
 * resume: finished render tasks are not rendered again.
 */
class PipelineKillAndResumeTest {
  private static final Path MANIFEST = Path.of("..", "examples", "demo", "prompts.jsonl").toAbsolutePath().normalize();
  private static final String[] QUICK = {"--quick", "--shard-size", "2", "--set", "adapt.checkpoint-every=10"};
  @TempDir Path work;

  @Test
  void killedDuringAdaptAndRenderThenResumedGivesTheUninterruptedAdapter() throws Exception {
    // given: an uninterrupted run as the reference
    // one task at a time, so that the second kill lands between the two render tasks
    UraeCli cli = new UraeCli(work, Map.of(), List.of("-Durae.parallelism=1"));
    Path reference = work.resolve("reference");
    UraeCli.Result plain = cli.run(Duration.ofMinutes(15), args("run", MANIFEST.toString(), "--data-dir", reference.toString()));
    assertThat(plain.exitCode()).as(plain.toString()).isZero();
    Path referenceAdapter = runFolder(reference, plain.stdout()).resolve("adapt/adapter.safetensors");

    // when: the same run is killed once a checkpoint exists, then resumed
    Path data = work.resolve("killed");
    UraeCli.Started run = cli.start(args("run", MANIFEST.toString(), "--data-dir", data.toString()));
    await().atMost(Duration.ofMinutes(10)).until(() -> run.stdoutSoFar().startsWith("run "));
    Path folder = runFolder(data, run.stdoutSoFar());
    await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200))
        .until(() -> Files.exists(folder.resolve("adapt/checkpoints/step-00000010/COMPLETE")));
    run.process().destroyForcibly().waitFor();
    assertThat(folder.resolve("adapt/adapter.safetensors")).doesNotExist();
    String runId = folder.getFileName().toString();

    // and killed again during render, after its first task finished
    UraeCli.Started resumed = cli.start("resume", runId, "--data-dir", data.toString());
    await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> Files.exists(folder.resolve("tasks/render/render-00000.done")) || !resumed.process().isAlive());
    resumed.process().destroyForcibly().waitFor();
    FileTime firstRender = Files.getLastModifiedTime(folder.resolve("render/heldout-48.png"));
    UraeCli.Result finished = cli.run(Duration.ofMinutes(10), "resume", runId, "--data-dir", data.toString());

    // then
    assertThat(finished.exitCode()).as(finished.toString()).isZero();
    assertThat(Files.getLastModifiedTime(folder.resolve("render/heldout-48.png"))).isEqualTo(firstRender);
    assertThat(folder.resolve("render/heldout-51.png")).exists();
    assertThat(maxAbsDifference(referenceAdapter, folder.resolve("adapt/adapter.safetensors"))).isLessThanOrEqualTo(1e-5);
  }

  private static String[] args(String... head) {
    String[] all = java.util.Arrays.copyOf(head, head.length + QUICK.length);
    System.arraycopy(QUICK, 0, all, head.length, QUICK.length);
    return all;
  }

  private static Path runFolder(Path dataDir, String stdout) {
    return dataDir.resolve("runs").resolve(stdout.lines().findFirst().orElseThrow().substring(4).strip());
  }

  private static double maxAbsDifference(Path a, Path b) throws Exception {
    double max = 0;
    try (SafeTensorsFile left = SafeTensorsFile.open(a); SafeTensorsFile right = SafeTensorsFile.open(b)) {
      assertThat(right.names()).containsExactlyInAnyOrderElementsOf(left.names());
      for (String name : left.names()) {
        float[] x = left.floats(name);
        float[] y = right.floats(name);
        for (int i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
      }
    }
    return max;
  }
}
