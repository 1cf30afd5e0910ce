package dev.urae.batch.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.batch.task.TaskCompute;
import dev.urae.batch.task.TaskHandler;
import dev.urae.batch.task.TaskSpec;
import dev.urae.batch.task.TaskStore;
import dev.urae.batch.task.TaskWorker;
import dev.urae.infra.store.FileObjectStore;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskWorkerComputeTest {
  @TempDir Path root;

  @Test
  void theMarkerRecordsTheTasksWallAndCpuTime() throws Exception {
    // given a handler that hashes for a while on the worker thread, then sleeps
    TaskHandler busy = new TaskHandler() {
      @Override
      public String stage() {
        return "cache";
      }

      @Override
      public void run(TaskSpec spec, dev.urae.batch.task.TaskContext context) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[1 << 20];
        for (int i = 0; i < 200; i++) sha.update(block);
        Thread.sleep(200);
        context.put("runs/run1/cache/a.bin", sha.digest());
      }
    };
    FileObjectStore store = new FileObjectStore(root);
    TaskSpec spec = new TaskSpec("run1", "cache", "shard-00000", store.root(), List.of(), Map.of());
    // when
    new TaskWorker(Map.of("cache", busy)).run(spec, store);
    // then the wall time covers the sleep, the CPU time the hashing but not the sleep
    List<TaskCompute> compute = new TaskStore(store).stageCompute("run1", "cache");
    assertThat(compute).hasSize(1);
    assertThat(compute.get(0).wallMillis()).isGreaterThanOrEqualTo(200);
    assertThat(compute.get(0).cpuMillis()).isPositive().isLessThan(compute.get(0).wallMillis());
  }
}
