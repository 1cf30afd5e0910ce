package dev.urae.batch.teacher;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a shard's teacher requests with bounded parallelism. Every request ends as an image, a
 * refusal or a failure; one item's failure never cancels the others, so a shard keeps every
 * image it could get and the stage decides what the failures mean (retry the task, or record
 * them).
 */
public final class TeacherBatch {
  private TeacherBatch() {}

  /**
   * Runs every request through {@code teacher} with at most {@code parallelism} at a time and
   * returns their outcomes in request order.
   *
   * @throws InterruptedException when the calling thread is interrupted; items still running
   *     are interrupted too, and no outcome list is returned
   */
  public static List<TeacherOutcome> run(
      Teacher teacher, List<TeacherRequest> requests, int parallelism, TeacherProgress progress)
      throws InterruptedException {
    Objects.requireNonNull(teacher, "teacher == null");
    Objects.requireNonNull(requests, "requests == null");
    Objects.requireNonNull(progress, "progress == null");
    if (parallelism < 1) throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
    if (requests.isEmpty()) return List.of();

    int threads = Math.min(parallelism, requests.size());
    ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads(teacher.name()));
    AtomicInteger completed = new AtomicInteger();
    Object progressLock = new Object();
    try {
      List<Future<TeacherOutcome>> futures = new ArrayList<>(requests.size());
      for (TeacherRequest request : requests) {
        futures.add(pool.submit(() -> {
          TeacherOutcome outcome = generateOne(teacher, request);
          synchronized (progressLock) {
            progress.itemDone(outcome, completed.incrementAndGet(), requests.size());
          }
          return outcome;
        }));
      }
      List<TeacherOutcome> outcomes = new ArrayList<>(requests.size());
      for (Future<TeacherOutcome> future : futures) outcomes.add(await(future));
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  private static TeacherOutcome generateOne(Teacher teacher, TeacherRequest request)
      throws InterruptedException {
    try {
      TeacherResult result = teacher.generate(request);
      if (result == null) {
        return TeacherOutcome.failed(request, new TeacherException(request.itemId(),
            "teacher '" + teacher.name() + "' returned no result"));
      }
      return TeacherOutcome.answered(request, result);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      return TeacherOutcome.failed(request, e);
    }
  }

  private static TeacherOutcome await(Future<TeacherOutcome> future) throws InterruptedException {
    try {
      return future.get();
    } catch (java.util.concurrent.ExecutionException e) {
      // Only an interruption (or a progress listener that threw) gets here.
      Throwable cause = e.getCause();
      if (cause instanceof InterruptedException interrupted) throw interrupted;
      if (cause instanceof RuntimeException runtime) throw runtime;
      if (cause instanceof Error error) throw error;
      throw new IllegalStateException(cause);
    }
  }

  private static ThreadFactory daemonThreads(String teacherName) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "teacher-" + teacherName + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
