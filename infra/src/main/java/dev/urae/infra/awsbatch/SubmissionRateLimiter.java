package dev.urae.infra.awsbatch;

import dev.urae.infra.aws.AwsRetry;
import java.time.Duration;

/** Spaces calls evenly so that no more than {@code perSecond} start in any second. */
final class SubmissionRateLimiter {
  private final long intervalNanos;
  private final AwsRetry.Sleeper sleeper;
  private long nextAllowed = System.nanoTime();

  SubmissionRateLimiter(double perSecond, AwsRetry.Sleeper sleeper) {
    this.intervalNanos = (long) Math.ceil(1_000_000_000d / perSecond);
    this.sleeper = sleeper;
  }

  /** Waits for the next free slot. */
  void acquire() throws InterruptedException {
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      long slot = Math.max(now, nextAllowed);
      nextAllowed = slot + intervalNanos;
      wait = slot - now;
    }
    if (wait > 0) sleeper.sleep(Duration.ofNanos(wait));
  }
}
