package dev.urae.batch.teacher;

import java.io.IOException;
import java.util.List;

/**
 * A source of high-resolution training images, one request at a time.
 *
 * <p>Implementations must be safe to call from several threads at once: {@link TeacherBatch}
 * calls {@link #generate} concurrently, and an implementation that talks to a rate-limited
 * service bounds its own concurrency on top of that.
 */
public interface Teacher extends AutoCloseable {

  /** A short name for messages and the report, e.g. {@code http} or {@code dataset}. */
  String name();

  /**
   * Every setting that changes what this teacher returns for a request, as one stable string.
   * Two teachers with equal fingerprints give the same answer to the same request, so the
   * stage can key its content-addressed cache on {@code fingerprint + request}. Never contains
   * a secret.
   */
  String fingerprint();

  /**
   * Produces the image for one request, or a refusal when the teacher declines this item.
   *
   * @throws TeacherException when the teacher fails for this item (network, timeout, a
   *     malformed answer); the message names the item and the cause
   * @throws InterruptedException when the calling thread is interrupted while waiting
   */
  TeacherResult generate(TeacherRequest request) throws IOException, InterruptedException;

  /**
   * Runs {@code requests} with at most {@code parallelism} in flight and returns one outcome per
   * request, in request order. A refusal or a failure of one item never stops the others.
   */
  default List<TeacherOutcome> generateAll(
      List<TeacherRequest> requests, int parallelism, TeacherProgress progress)
      throws InterruptedException {
    return TeacherBatch.run(this, requests, parallelism, progress);
  }

  @Override
  default void close() {}
}
