package dev.urae.batch.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.batch.run.ComputeWait;
import dev.urae.batch.run.RunLayout;
import dev.urae.batch.task.TaskStore;
import dev.urae.infra.store.FileObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComputeWaitRecorderTest {
  private static final String ADAPT_TOO_LARGE = "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - The job resource requirement"
      + " (vCPU/memory/GPU) is higher than that can be met by the CE(s) attached to the job queue.";

  @TempDir Path root;
  private Instant now = Instant.parse("2026-11-26T15:20:03Z");
  private final Clock clock = new Clock() {
    @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  };

  @Test
  void aWaitIsRecordedFromItsFirstPollKeepsItsStartWhenTheReasonChangesAndEndsWhenATaskStarts() throws Exception {
    // given
    FileObjectStore store = new FileObjectStore(root);
    TaskStore tasks = new TaskStore(store);
    Path record = root.resolve(new RunLayout("run1").computeWait("adapt"));
    try (ComputeWaitRecorder waits = new ComputeWaitRecorder(tasks, "run1", "adapt", clock)) {
      // when: two polls find the job RUNNABLE without a reason
      waits.waiting(3, null);
      java.nio.file.attribute.FileTime firstWrite = Files.getLastModifiedTime(record);
      Files.setLastModifiedTime(record, java.nio.file.attribute.FileTime.fromMillis(0));
      now = now.plusSeconds(30);
      waits.waiting(3, null);
      // then: one record, not rewritten by the second poll
      assertThat(Files.getLastModifiedTime(record).toMillis()).isZero();
      assertThat(firstWrite.toMillis()).isPositive();
      assertThat(tasks.readComputeWait("run1", "adapt")).contains(new ComputeWait(3, "", Instant.parse("2026-11-26T15:20:03Z")));

      // when: Batch gives its reason
      now = now.plusSeconds(30);
      waits.waiting(3, ADAPT_TOO_LARGE);
      // then: the reason is recorded, the wait still began at the first poll
      ComputeWait recorded = tasks.readComputeWait("run1", "adapt").orElseThrow();
      assertThat(recorded.reason()).isEqualTo(ADAPT_TOO_LARGE);
      assertThat(recorded.describe()).isEqualTo("3 task(s) waiting for compute since 2026-11-26T15:20:03Z: " + ADAPT_TOO_LARGE);

      // when: a task starts
      waits.started();
      // then
      assertThat(tasks.readComputeWait("run1", "adapt")).isEmpty();

      // when: another job of the stage waits later
      now = now.plusSeconds(600);
      waits.waiting(1, "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY");
      // then: a new wait, from now
      assertThat(tasks.readComputeWait("run1", "adapt").orElseThrow().since()).isEqualTo(now);
    }
    // then: the stage attempt ended, nothing is waiting any more
    assertThat(tasks.readComputeWait("run1", "adapt")).isEmpty();
    assertThat(record).doesNotExist();
  }
}
