package dev.urae.model.train;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request to stop training early, with a checkpoint. A worker's shutdown hook (run on
 * SIGTERM, the warning a spot reclaim gives) calls {@link #requestAndAwait}; the trainer
 * notices after the current step, writes a checkpoint and signals back, and only then does the
 * hook return and the JVM exit.
 */
public final class TrainingStop {
  private final AtomicBoolean requested = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);

  public void request() {
    requested.set(true);
  }

  public boolean isRequested() {
    return requested.get();
  }

  /** Requests a stop and waits until the trainer has written its checkpoint (or the timeout). */
  public boolean requestAndAwait(long timeout, TimeUnit unit) throws InterruptedException {
    request();
    return finished.await(timeout, unit);
  }

  /** Called by the trainer when it returns, whatever the reason. */
  void finished() {
    finished.countDown();
  }

  /** Installs a JVM shutdown hook that stops the trainer and waits up to {@code graceSeconds} for its checkpoint. */
  public Thread installShutdownHook(long graceSeconds) {
    Thread hook = new Thread(() -> {
      try {
        requestAndAwait(graceSeconds, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "training-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }
}
