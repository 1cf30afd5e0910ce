package dev.urae.batch.job;

import dev.urae.batch.run.ComputeWait;
import dev.urae.batch.task.TaskStore;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a stage's {@link ComputeWait} record in the store true while its tasks wait for compute:
 * written when a wait begins or its reason changes (not at every poll), removed when a task
 * starts or the stage attempt ends. The record is only information for {@code urae status}, so a
 * store error is logged and the stage goes on.
 */
final class ComputeWaitRecorder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ComputeWaitRecorder.class);

  private final TaskStore tasks;
  private final String runId;
  private final String stage;
  private final Clock clock;
  private ComputeWait recorded;

  ComputeWaitRecorder(TaskStore tasks, String runId, String stage, Clock clock) {
    this.tasks = tasks;
    this.runId = runId;
    this.stage = stage;
    this.clock = clock;
  }

  /** {@code count} tasks wait, for {@code reason} (may be null); heard at every poll while the wait lasts. */
  synchronized void waiting(int count, String reason) {
    ComputeWait heard = new ComputeWait(count, reason, recorded == null ? clock.instant() : recorded.since());
    if (heard.equals(recorded)) return;
    try {
      tasks.writeComputeWait(runId, stage, heard);
      recorded = heard;
    } catch (IOException e) {
      LOG.warn("could not record that {} task(s) of stage {} wait for compute: {}", count, stage, e.getMessage());
    }
  }

  /** A task started: whatever waited has found compute. */
  synchronized void started() {
    clear();
  }

  @Override
  public synchronized void close() {
    clear();
  }

  private void clear() {
    if (recorded == null) return;
    try {
      tasks.clearComputeWait(runId, stage);
      recorded = null;
    } catch (IOException e) {
      LOG.warn("could not remove the compute wait record of stage {}: {}", stage, e.getMessage());
    }
  }
}
