package dev.urae.batch.aws;

import dev.urae.batch.launch.RunCatalog;
import dev.urae.batch.run.LaunchOutcome;
import dev.urae.batch.launch.RunService;
import dev.urae.batch.manifest.ManifestSource;
import dev.urae.infra.store.NoSuchObjectException;
import dev.urae.infra.trigger.ManifestUpload;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Carries out the runs {@code urae watch} starts, a bounded number at once, each in its own
 * thread. {@link #start} returns as soon as the run is registered in the job repository (so the
 * queue message can go) and the run goes on in the background.
 */
final class BackgroundRuns implements AutoCloseable {
  private static final Duration REGISTRATION_CHECK = Duration.ofMillis(200);

  private final Semaphore slots;
  private final int max;
  private final ExecutorService threads;
  private final Consumer<LaunchOutcome> onFinished;

  BackgroundRuns(int maxConcurrent, Consumer<LaunchOutcome> onFinished) {
    if (maxConcurrent < 1) throw new IllegalArgumentException("urae.watch.max-concurrent-runs < 1: " + maxConcurrent);
    this.max = maxConcurrent;
    this.slots = new Semaphore(maxConcurrent);
    this.threads = Executors.newFixedThreadPool(maxConcurrent, r -> {
      Thread t = new Thread(r, "urae-watch-run");
      t.setDaemon(false);
      return t;
    });
    this.onFinished = onFinished;
  }

  /** Runs that could start now; the watcher receives no more uploads than this. */
  int freeSlots() {
    return slots.availablePermits();
  }

  /**
   * Starts the run for {@code upload} and waits until it is registered (or already covered).
   *
   * @return the run id
   * @throws NoSuchObjectException when the manifest is gone (the message is poison)
   * @throws IllegalStateException when every slot is busy: the message waits in the queue
   */
  String start(RunService runs, RunCatalog catalog, ManifestUpload upload) throws Exception {
    if (!slots.tryAcquire()) {
      throw new IllegalStateException(max + " run(s) in progress; " + upload + " waits in the queue");
    }
    CompletableFuture<String> runId = new CompletableFuture<>();
    CompletableFuture<LaunchOutcome> finished = new CompletableFuture<>();
    try {
      threads.execute(() -> {
        try {
          // Exactly the version the event announced, even if the key was overwritten since.
          ManifestSource manifest = ManifestSource.version(upload.location(), upload.versionId(), upload.eTag());
          finished.complete(runs.launch(manifest, null, false, runId::complete));
        } catch (Throwable e) {
          finished.completeExceptionally(e);
        } finally {
          slots.release();
        }
      });
    } catch (RuntimeException rejected) {
      slots.release();
      throw rejected;
    }
    finished.thenAccept(onFinished);
    while (true) {
      if (finished.isCompletedExceptionally()) throw unwrap(finished);
      if (runId.isDone() && (finished.isDone() || catalog.registered(runId.get()))) return runId.get();
      Thread.sleep(REGISTRATION_CHECK.toMillis());
    }
  }

  private static Exception unwrap(CompletableFuture<?> failed) {
    try {
      failed.join();
      return new IllegalStateException("not failed");
    } catch (java.util.concurrent.CompletionException e) {
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        if (t instanceof NoSuchObjectException missing) return missing;
      }
      return e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** Waits for the runs in progress to end (they are not cut short). */
  @Override
  public void close() throws InterruptedException {
    threads.shutdown();
    threads.awaitTermination(365, TimeUnit.DAYS);
  }
}
