package dev.urae.tests.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.urae.batch.job.WorkHandler;
import dev.urae.batch.job.WorkStage;
import dev.urae.batch.run.RunLayout;
import dev.urae.infra.store.FileObjectStore;
import dev.urae.tests.support.UraeCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run whose process is killed with {@code kill -9} mid-stage resumes without redoing finished tasks. */
class KillAndResumeTest {
  @TempDir Path work;

  @Test
  void resumeAfterKillNineRunsOnlyUnfinishedTasks() throws Exception {
    // given: 6 shards of one item, each task taking a while, one at a time
    Path dataDir = work.resolve("data");
    Path manifest = Files.writeString(work.resolve("slow.jsonl"), IntStream.range(0, 6)
        .mapToObj(i -> "{\"prompt\":\"slow " + i + "\",\"id\":\"slow-" + i + "\"}")
        .collect(Collectors.joining("\n")));
    UraeCli cli = new UraeCli(work, Map.of(), List.of(
        "-Dspring.profiles.active=test-stages", "-Durae.test.sleep-ms=600", "-Durae.parallelism=1"));
    UraeCli.Started run = cli.start("run", manifest.toString(), "--data-dir", dataDir.toString(), "--shard-size", "1");
    FileObjectStore store = new FileObjectStore(dataDir);

    // when: the process is killed once two tasks have finished
    await().atMost(Duration.ofSeconds(90)).until(() -> run.stdoutSoFar().startsWith("run "));
    String runId = run.stdoutSoFar().lines().findFirst().orElseThrow().substring(4).strip();
    RunLayout layout = new RunLayout(runId);
    await().atMost(Duration.ofSeconds(90)).until(() -> markers(store, layout) >= 2);
    run.process().destroyForcibly().waitFor();
    long finishedBeforeKill = markers(store, layout);
    List<String> finished = IntStream.range(0, 6).mapToObj(i -> RunLayout.shardName(RunLayout.MAIN_SET, i))
        .filter(t -> store.exists(layout.taskMarker(WorkStage.NAME, t))).toList();

    // then status calls it interrupted, and resume finishes the rest
    UraeCli.Result status = cli.run(Duration.ofSeconds(90), "status", runId, "--data-dir", dataDir.toString());
    assertThat(status.stdout()).contains("INTERRUPTED");
    UraeCli.Result resumed = cli.run(Duration.ofSeconds(120), "resume", runId, "--data-dir", dataDir.toString());
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(resumed.stdout()).contains("run " + runId + " completed");
    assertThat(markers(store, layout)).isEqualTo(6);
    for (String task : finished) {
      assertThat(WorkHandler.executions(store, runId, task)).as("executions of finished " + task).isEqualTo(1);
    }
    assertThat(finishedBeforeKill).isBetween(2L, 5L);
  }

  private static long markers(FileObjectStore store, RunLayout layout) throws java.io.IOException {
    return store.list(layout.tasks(WorkStage.NAME)).stream().filter(o -> o.key().endsWith(".done")).count();
  }
}
