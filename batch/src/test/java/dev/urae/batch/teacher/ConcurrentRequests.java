package dev.urae.batch.teacher;

import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts, on the server, how many requests are being served at once, and the peak. */
final class ConcurrentRequests implements ServeEventListener {
  private final AtomicInteger current = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();

  @Override
  public void beforeMatch(ServeEvent serveEvent, Parameters parameters) {
    int now = current.incrementAndGet();
    peak.accumulateAndGet(now, Math::max);
  }

  @Override
  public void afterComplete(ServeEvent serveEvent, Parameters parameters) {
    current.decrementAndGet();
  }

  @Override
  public String getName() {
    return "concurrent-requests";
  }

  @Override
  public boolean applyGlobally() {
    return true;
  }

  int peak() {
    return peak.get();
  }

  void reset() {
    current.set(0);
    peak.set(0);
  }
}
