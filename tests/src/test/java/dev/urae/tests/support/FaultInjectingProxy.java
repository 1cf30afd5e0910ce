package dev.urae.tests.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A loopback HTTP proxy in front of the emulator that records every request by action and can
 * answer some with injected errors (429 throttling, 5xx) or rewrite responses. The action is
 * the {@code X-Amz-Target} header (JSON protocols such as SQS) or the path's last segment
 * ({@code /v1/submitjob} → {@code submitjob} for AWS Batch).
 */
public final class FaultInjectingProxy implements AutoCloseable {
  private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "expect",
      "transfer-encoding", "upgrade", "keep-alive");

  /** An injected answer. */
  public record Fault(int status, String contentType, String body) {}

  private final URI target;
  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Map<String, List<String>> requests = new ConcurrentHashMap<>();
  private final Map<String, List<Fault>> faults = new ConcurrentHashMap<>();
  private final Map<String, List<Fault>> lostAnswers = new ConcurrentHashMap<>();
  private final Map<String, UnaryOperator<String>> rewrites = new ConcurrentHashMap<>();
  private final AtomicInteger injected = new AtomicInteger();

  public FaultInjectingProxy(URI target) throws IOException {
    this.target = target;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** AWS's throttling answer for the JSON and REST-JSON protocols. */
  public static Fault tooManyRequests() {
    return new Fault(429, "application/json",
        "{\"__type\":\"TooManyRequestsException\",\"message\":\"Too Many Requests\"}");
  }

  public static Fault serviceUnavailable() {
    return new Fault(503, "application/json", "{\"__type\":\"ServiceUnavailable\",\"message\":\"Service Unavailable\"}");
  }

  /** Answers the next {@code times} requests for {@code action} with {@code fault} instead of forwarding them. */
  public void failNext(String action, int times, Fault fault) {
    List<Fault> queue = faults.computeIfAbsent(action.toLowerCase(), k -> new CopyOnWriteArrayList<>());
    for (int i = 0; i < times; i++) queue.add(fault);
  }

  /**
   * Forwards the next {@code times} requests for {@code action} to the emulator but answers
   * {@code fault} instead of its response: the call took effect and its answer was lost.
   */
  public void failAfterForwardingNext(String action, int times, Fault fault) {
    List<Fault> pending = lostAnswers.computeIfAbsent(action, k -> new CopyOnWriteArrayList<>());
    for (int i = 0; i < times; i++) pending.add(fault);
  }

  /** Rewrites the emulator's response body for {@code action} until cleared with {@code null}. */
  public void rewrite(String action, UnaryOperator<String> rewrite) {
    if (rewrite == null) rewrites.remove(action.toLowerCase());
    else rewrites.put(action.toLowerCase(), rewrite);
  }

  /** Request bodies seen for {@code action}, injected failures included, in arrival order. */
  public List<String> requests(String action) {
    return List.copyOf(requests.getOrDefault(action.toLowerCase(), List.of()));
  }

  public int injectedFaults() {
    return injected.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String action = action(exchange);
      requests.computeIfAbsent(action, k -> new CopyOnWriteArrayList<>()).add(new String(body, StandardCharsets.UTF_8));
      List<Fault> pending = faults.get(action);
      Fault fault = pending == null || pending.isEmpty() ? null : pending.remove(0);
      if (fault != null) {
        injected.incrementAndGet();
        respond(exchange, fault.status(), Map.of("Content-Type", List.of(fault.contentType()),
            "x-amzn-ErrorType", List.of(errorType(fault.body()))), fault.body().getBytes(StandardCharsets.UTF_8));
        return;
      }
      HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
          .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      exchange.getRequestHeaders().forEach((name, values) -> {
        if (!HOP_HEADERS.contains(name.toLowerCase())) values.forEach(v -> forward.header(name, v));
      });
      HttpResponse<byte[]> response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      List<Fault> lost = lostAnswers.get(action);
      Fault lostAnswer = lost == null || lost.isEmpty() ? null : lost.remove(0);
      if (lostAnswer != null) {
        injected.incrementAndGet();
        respond(exchange, lostAnswer.status(), Map.of("Content-Type", List.of(lostAnswer.contentType()),
            "x-amzn-ErrorType", List.of(errorType(lostAnswer.body()))), lostAnswer.body().getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] answer = response.body();
      UnaryOperator<String> rewrite = rewrites.get(action);
      if (rewrite != null) answer = rewrite.apply(new String(answer, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
      respond(exchange, response.statusCode(), response.headers().map(), answer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String errorType(String body) {
    int start = body.indexOf("\"__type\":\"");
    if (start < 0) return "";
    start += 10;
    return body.substring(start, body.indexOf('"', start));
  }

  private static void respond(HttpExchange exchange, int status, Map<String, List<String>> headers, byte[] body) throws IOException {
    headers.forEach((name, values) -> {
      if (name != null && !HOP_HEADERS.contains(name.toLowerCase()) && !name.equals(":status")) {
        exchange.getResponseHeaders().put(name, new ArrayList<>(values));
      }
    });
    boolean noBody = body.length == 0 || exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static String action(HttpExchange exchange) {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    if (target != null) return target.substring(target.indexOf('.') + 1).toLowerCase();
    String path = exchange.getRequestURI().getPath();
    return path.substring(path.lastIndexOf('/') + 1).toLowerCase();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
