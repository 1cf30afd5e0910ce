package dev.urae.batch.teacher;

import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records, on the server, when each request arrived and when its response was complete, and
 * computes how many were being served at once.
 */
final class ConcurrentRequests implements ServeEventListener {
  private final Map<Object, Long> started = new ConcurrentHashMap<>();
  private final List<long[]> intervals = new ArrayList<>();

  @Override
  public void beforeMatch(ServeEvent serveEvent, Parameters parameters) {
    started.put(serveEvent.getId(), System.nanoTime());
  }

  @Override
  public void afterComplete(ServeEvent serveEvent, Parameters parameters) {
    Long start = started.remove(serveEvent.getId());
    if (start == null) return;
    synchronized (intervals) {
      intervals.add(new long[] {start, System.nanoTime()});
    }
  }

  @Override
  public String getName() {
    return "concurrent-requests";
  }

  @Override
  public boolean applyGlobally() {
    return true;
  }

  /**
   * The most requests in flight at one instant. Each interval's end is pulled in by
   * {@code toleranceMillis}: the server finishes its bookkeeping a moment after the client already
   * has the response and may have sent its next request, and that moment is not concurrency.
   */
  int peak(long toleranceMillis) {
    List<long[]> events = new ArrayList<>();
    synchronized (intervals) {
      for (long[] interval : intervals) {
        long end = Math.max(interval[0], interval[1] - toleranceMillis * 1_000_000);
        events.add(new long[] {interval[0], +1});
        events.add(new long[] {end, -1});
      }
    }
    // Ends sort before starts at the same instant, so touching intervals do not overlap.
    events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int current = 0;
    int peak = 0;
    for (long[] event : events) {
      current += (int) event[1];
      peak = Math.max(peak, current);
    }
    return peak;
  }

  void reset() {
    started.clear();
    synchronized (intervals) {
      intervals.clear();
    }
  }
}
