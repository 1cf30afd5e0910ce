package dev.urae.batch.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.batch.task.TaskCompute;
import dev.urae.batch.task.TaskSpec;
import dev.urae.batch.task.TaskStore;
import dev.urae.infra.store.FileObjectStore;
import dev.urae.infra.store.ObjectInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskStoreTest {
  @TempDir Path root;

  @Test
  void markerIsValidOnlyWhileEveryOutputIsIntact() throws Exception {
    // given: a task that wrote one output and its marker
    FileObjectStore store = new FileObjectStore(root);
    TaskStore tasks = new TaskStore(store);
    TaskSpec spec = new TaskSpec("run1", "teacher", "shard-00000", store.root(), List.of(), Map.of());
    ObjectInfo output = store.put("runs/run1/teacher/a.png", new byte[] {1, 2, 3});
    tasks.writeMarker(spec, List.of(output), new TaskCompute(1200, 900));
    // then
    assertThat(tasks.markerProblem("run1", "teacher", "shard-00000")).isNull();

    // when the output changes behind the marker's back
    store.put("runs/run1/teacher/a.png", new byte[] {1, 2, 4});
    // then
    assertThat(tasks.markerProblem("run1", "teacher", "shard-00000")).contains("does not match the checksum");

    // when it disappears
    store.delete("runs/run1/teacher/a.png");
    // then
    assertThat(tasks.markerProblem("run1", "teacher", "shard-00000")).contains("is missing");
    assertThat(tasks.validMarker("run1", "teacher", "shard-00000")).isEmpty();
  }

  @Test
  void theStagesComputeIsReadFromItsMarkersSkippingMarkersWithoutIt() throws Exception {
    // given two finished tasks of a stage, one marker written before compute was measured
    FileObjectStore store = new FileObjectStore(root);
    TaskStore tasks = new TaskStore(store);
    tasks.writeMarker(new TaskSpec("run1", "cache", "shard-00000", store.root(), List.of(), Map.of()), List.of(),
        new TaskCompute(3000, 2500));
    tasks.writeMarker(new TaskSpec("run1", "cache", "shard-00001", store.root(), List.of(), Map.of()), List.of(), null);
    store.put("runs/run1/tasks/cache/shard-00002.json", "{}".getBytes());
    // when
    List<TaskCompute> compute = tasks.stageCompute("run1", "cache");
    // then
    assertThat(compute).containsExactly(new TaskCompute(3000, 2500));
  }

  @Test
  void noMarkerAndCorruptMarkerAreNotDone() throws Exception {
    // given
    FileObjectStore store = new FileObjectStore(root);
    TaskStore tasks = new TaskStore(store);
    // then
    assertThat(tasks.markerProblem("run1", "cache", "shard-00000")).isEqualTo("it left no completion marker");
    // when
    store.put("runs/run1/tasks/cache/shard-00000.done", "{not json".getBytes());
    // then
    assertThat(tasks.markerProblem("run1", "cache", "shard-00000")).contains("is corrupt");
  }

  @Test
  void jobComputeRecordsRoundTripAndAreReadPerStageBesideTheOrchestratorsOtherRecords() throws Exception {
    // given two ended adapt jobs, a task list and a wait record in the same folder
    FileObjectStore store = new FileObjectStore(root);
    TaskStore tasks = new TaskStore(store);
    java.time.Instant t0 = java.time.Instant.parse("2026-11-26T10:00:00Z");
    dev.urae.infra.exec.JobCompute first = new dev.urae.infra.exec.JobCompute("job-1", "list prices", List.of(
        new dev.urae.infra.exec.ComputeAttempt("job-1:0", t0, t0.plusSeconds(3600), 8, 61440, 1, "SPOT", "g6e.2xlarge", 1.12)));
    dev.urae.infra.exec.JobCompute second = new dev.urae.infra.exec.JobCompute("job-2", "list prices", List.of());
    tasks.writeJobCompute("run1", "adapt", first);
    tasks.writeJobCompute("run1", "adapt", second);
    store.put(new dev.urae.batch.run.RunLayout("run1").taskList("adapt", "urae-run1-adapt-1"), new byte[] {1});
    tasks.writeComputeWait("run1", "adapt", new dev.urae.batch.run.ComputeWait(1, "", t0));
    // when
    List<dev.urae.infra.exec.JobCompute> read = tasks.stageJobCompute("run1", "adapt");
    // then
    assertThat(read).containsExactly(first, second);
    assertThat(tasks.stageJobCompute("run1", "render")).isEmpty();
  }
}
