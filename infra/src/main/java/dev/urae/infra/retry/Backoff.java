package dev.urae.infra.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How long to wait before retrying a throttled or failed call, for AWS calls and the teacher API
 * alike: capped exponential backoff with "equal jitter". The step doubles from {@code initial}
 * per failed attempt up to {@code max}; the wait is half the step plus a uniform random part of
 * up to the other half, so it lies in [step/2, step]. Clients throttled together spread out, yet
 * each still waits at least half the step. A server's {@code Retry-After} is a floor.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final RandomGenerator random;

  /**
   * @param random where the jitter comes from; for a backoff shared by threads, one that draws
   *     from each thread's own generator
   */
  public Backoff(Duration initial, Duration max, RandomGenerator random) {
    if (initial.isNegative() || initial.isZero()) throw new IllegalArgumentException("initial backoff must be positive: " + initial);
    if (max.compareTo(initial) < 0) throw new IllegalArgumentException("max backoff " + max + " < initial " + initial);
    this.initial = initial;
    this.max = max;
    this.random = Objects.requireNonNull(random, "random == null");
  }

  /** A backoff whose jitter comes from the calling thread's generator. */
  public static Backoff shared(Duration initial, Duration max) {
    return new Backoff(initial, max, () -> java.util.concurrent.ThreadLocalRandom.current().nextLong());
  }

  /**
   * The wait before attempt {@code failedAttempts + 1}.
   *
   * @param failedAttempts how many attempts have failed so far, >= 1
   */
  public Duration delay(int failedAttempts) {
    return delay(failedAttempts, Optional.empty());
  }

  /**
   * The wait before attempt {@code failedAttempts + 1}, never less than {@code retryAfter}.
   *
   * @param failedAttempts how many attempts have failed so far, >= 1
   * @param retryAfter     the server's {@code Retry-After}, if it sent one
   */
  public Duration delay(int failedAttempts, Optional<Duration> retryAfter) {
    long step = initial.toMillis();
    for (int i = 1; i < failedAttempts && step < max.toMillis(); i++) step *= 2;
    step = Math.min(step, max.toMillis());
    long half = step / 2;
    long jittered = half + (half > 0 ? random.nextLong(half + 1) : 0);
    Duration backoff = Duration.ofMillis(Math.max(1, jittered));
    return retryAfter.filter(after -> after.compareTo(backoff) > 0).orElse(backoff);
  }
}
