package dev.urae.infra.aws;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts HTTP requests per AWS operation (each retry counts) and the time spent waiting for
 * their answers, for benchmarks and tests: add it with {@link AwsClientFactory#withInterceptor}.
 */
public final class ApiCallCounter implements ExecutionInterceptor {
  private static final ExecutionAttribute<Long> SENT_AT = new ExecutionAttribute<>("urae.sentAt");

  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final AtomicLong waitingNanos = new AtomicLong();

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    counts.computeIfAbsent(operation == null ? "?" : operation, k -> new AtomicLong()).incrementAndGet();
    attributes.putAttribute(SENT_AT, System.nanoTime());
  }

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    Long sentAt = attributes.getAttribute(SENT_AT);
    if (sentAt != null) waitingNanos.addAndGet(System.nanoTime() - sentAt);
  }

  public long count(String operation) {
    AtomicLong count = counts.get(operation);
    return count == null ? 0 : count.get();
  }

  /** Time between sending requests and receiving their answers' headers, summed over all calls. */
  public Duration waiting() {
    return Duration.ofNanos(waitingNanos.get());
  }

  /** Every operation seen so far with its count, sorted by name. */
  public Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    counts.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  public void reset() {
    counts.clear();
    waitingNanos.set(0);
  }
}
