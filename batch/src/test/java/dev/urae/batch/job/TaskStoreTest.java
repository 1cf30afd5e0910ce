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
}
