package dev.urae.infra.aws;

import dev.urae.infra.retry.Backoff;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries AWS calls that {@link AwsErrors#isRetryable} allows, waiting as the one {@link Backoff}
 * policy says (capped exponential, equal jitter); anything else is rethrown at once. Counts the
 * retries it made, for figures.
 */
public final class AwsRetry {
  private static final Logger LOG = LoggerFactory.getLogger(AwsRetry.class);

  /** Sleeps between attempts; tests replace it to run without waiting. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** An AWS call that may throw. */
  @FunctionalInterface
  public interface Call<T> {
    T call() throws Exception;
  }

  private final int maxAttempts;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final AtomicLong retries = new AtomicLong();

  public AwsRetry(int maxAttempts, Duration base, Duration cap, Sleeper sleeper) {
    if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts < 1: " + maxAttempts);
    if (base.isNegative() || base.isZero()) throw new IllegalArgumentException("base must be positive: " + base);
    if (cap.compareTo(base) < 0) throw new IllegalArgumentException("cap < base: " + cap);
    this.maxAttempts = maxAttempts;
    this.backoff = Backoff.shared(base, cap);
    this.sleeper = sleeper == null ? d -> Thread.sleep(d.toMillis()) : sleeper;
  }

  /** 8 attempts, backoff from 200 ms up to 20 s: rides out a throttling burst. */
  public static AwsRetry standard() {
    return new AwsRetry(8, Duration.ofMillis(200), Duration.ofSeconds(20), null);
  }

  /** How many retries this instance has made so far. */
  public long retries() {
    return retries.get();
  }

  /**
   * Runs {@code call}, retrying retryable failures. Throws the last failure when attempts run
   * out, or the first non-retryable one.
   *
   * @param what the operation, for the log line
   */
  public <T> T call(String what, Call<T> call) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call();
      } catch (Exception e) {
        if (attempt >= maxAttempts || !AwsErrors.isRetryable(e)) throw e;
        Duration wait = backoff.delay(attempt);
        retries.incrementAndGet();
        LOG.debug("{} failed ({}), attempt {} of {}, retrying in {} ms", what, AwsErrors.describe(e), attempt, maxAttempts, wait.toMillis());
        sleeper.sleep(wait);
      }
    }
  }

  /** Like {@link #call}, for callers that cannot throw checked exceptions other than the SDK's. */
  public <T> T callUnchecked(String what, Call<T> call) throws InterruptedException {
    try {
      return call(what, call);
    } catch (RuntimeException | InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
    }
  }
}
