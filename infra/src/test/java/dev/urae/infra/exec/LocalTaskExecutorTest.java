package dev.urae.infra.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LocalTaskExecutorTest {
  private static final TaskListener QUIET = TaskListener.NONE;

  /** Records how many tasks run at once, in all and per device. */
  private static final class Recorder implements TaskRunner {
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    final Map<String, AtomicInteger> perDevice = new ConcurrentHashMap<>();
    final Map<String, Integer> mostPerDevice = new ConcurrentHashMap<>();
    final List<String> devicesSeen = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void run(TaskRef task, String device) throws Exception {
      devicesSeen.add(device);
      int now = running.incrementAndGet();
      mostAtOnce.accumulateAndGet(now, Math::max);
      int onDevice = perDevice.computeIfAbsent(device, d -> new AtomicInteger()).incrementAndGet();
      mostPerDevice.merge(device, onDevice, Math::max);
      Thread.sleep(60);
      perDevice.get(device).decrementAndGet();
      running.decrementAndGet();
    }
  }

  @Test
  void gpuTasksRunOnePerDevice() throws Exception {
    // given: 4 threads, 2 GPUs, 8 tasks of a GPU stage
    Recorder recorder = new Recorder();
    try (LocalTaskExecutor executor = new LocalTaskExecutor(4, recorder, Set.of("adapt", "render"), () -> List.of("cuda:0", "cuda:1"))) {
      // when
      Map<String, TaskOutcome> outcomes = executor.runAll(tasks("render", 8), QUIET);

      // then
      assertThat(outcomes.values()).allMatch(TaskOutcome::succeeded);
      assertThat(recorder.mostAtOnce).hasValue(2);
      assertThat(recorder.mostPerDevice).containsOnlyKeys("cuda:0", "cuda:1").allSatisfy((device, most) -> assertThat(most).isEqualTo(1));
    }
  }

  @Test
  void cpuStagesKeepEveryThreadAndRunOnTheCpu() throws Exception {
    // given
    Recorder recorder = new Recorder();
    try (LocalTaskExecutor executor = new LocalTaskExecutor(4, recorder, Set.of("adapt", "render"), () -> List.of("cuda:0"))) {
      // when
      executor.runAll(tasks("teacher", 8), QUIET);

      // then
      assertThat(recorder.mostAtOnce).hasValue(4);
      assertThat(recorder.devicesSeen).containsOnly("cpu");
    }
  }

  @Test
  void gpuStagesOnAMachineWithoutGpusRunOnTheCpuWithEveryThread() throws Exception {
    // given
    Recorder recorder = new Recorder();
    try (LocalTaskExecutor executor = new LocalTaskExecutor(3, recorder, Set.of("render"), List::of)) {
      // when
      executor.runAll(tasks("render", 6), QUIET);

      // then
      assertThat(recorder.mostAtOnce).hasValue(3);
      assertThat(recorder.devicesSeen).containsOnly("cpu");
    }
  }

  private static List<TaskRef> tasks(String stage, int count) {
    List<TaskRef> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tasks.add(new TaskRef("run-1", stage, "shard-" + i, URI.create("file:///tmp/spec-" + i + ".json")));
    }
    return tasks;
  }
}
