package dev.urae.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real headless Chromium (Debian's package, {@code /usr/bin/chromium}, or {@code $CHROMIUM})
 * driven over the DevTools protocol from {@link java.net.http.WebSocket}: loads a page and says
 * what a person would have seen go wrong: images that did not load and console errors (script
 * errors, {@code console.error}, failed resource loads).
 */
public final class HeadlessChromium implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on ws://[^:]+:(\\d+)/");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path profile;
  private final int port;

  /** One image of the page: its source and its natural width once loading ended (0: broken). */
  public record PageImage(String src, int naturalWidth) {}

  /** What loading a page showed: its images and every console error, in order. */
  public record PageLoad(List<PageImage> images, List<String> consoleErrors) {
    public List<PageImage> brokenImages() {
      return images.stream().filter(i -> i.naturalWidth() <= 0).toList();
    }
  }

  private HeadlessChromium(Process process, Path profile, int port) {
    this.process = process;
    this.profile = profile;
    this.port = port;
  }

  /** The browser binary: {@code $CHROMIUM}, else {@code /usr/bin/chromium}. */
  public static Path executable() {
    String configured = System.getenv("CHROMIUM");
    return Path.of(configured != null && !configured.isBlank() ? configured : "/usr/bin/chromium");
  }

  /** Starts the browser on a free loopback port with a fresh profile. */
  public static HeadlessChromium start(Duration timeout) throws IOException, InterruptedException {
    if (!Files.isExecutable(executable())) {
      throw new IOException("no Chromium at " + executable() + ": install Debian's chromium package (.ci/run does) or set CHROMIUM");
    }
    Path profile = Files.createTempDirectory("urae-chromium-");
    Process process = new ProcessBuilder(executable().toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--no-default-browser-check", "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=" + profile, "about:blank")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    List<String> early = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = err.readLine()) != null; ) {
          early.add(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) port.complete(Integer.parseInt(m.group(1)));
        }
      } catch (IOException ignored) {
        // the process ended; the port future reports it below
      }
      port.complete(-1);
    }, "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
    int found;
    try {
      found = port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      found = -1;
    }
    if (found < 0) {
      process.destroyForcibly();
      throw new IOException(executable() + " did not open its DevTools port within " + timeout + "; it said: " + String.join("\n", early));
    }
    return new HeadlessChromium(process, profile, found);
  }

  /**
   * Opens {@code page} in the browser's tab, waits for its load event, and reads every
   * {@code <img>}'s natural width and the console errors seen until then.
   */
  public PageLoad load(Path page, Duration timeout) throws Exception {
    try (DevTools tab = DevTools.connect(pageTarget(), timeout)) {
      List<String> errors = new CopyOnWriteArrayList<>();
      tab.on("Runtime.consoleAPICalled", event -> {
        String type = event.path("type").asText();
        if (type.equals("error") || type.equals("assert")) errors.add("console." + type + ": " + event.path("args").toString());
      });
      tab.on("Runtime.exceptionThrown", event -> errors.add("exception: " + event.path("exceptionDetails").path("exception")
          .path("description").asText(event.path("exceptionDetails").path("text").asText())));
      tab.on("Log.entryAdded", event -> {
        JsonNode entry = event.path("entry");
        if (entry.path("level").asText().equals("error")) errors.add(entry.path("source").asText() + ": " + entry.path("text").asText()
            + (entry.hasNonNull("url") ? " (" + entry.path("url").asText() + ")" : ""));
      });
      CompletableFuture<JsonNode> loaded = tab.next("Page.loadEventFired");
      tab.call("Runtime.enable", JSON.createObjectNode());
      tab.call("Log.enable", JSON.createObjectNode());
      tab.call("Page.enable", JSON.createObjectNode());
      tab.call("Page.navigate", JSON.createObjectNode().put("url", page.toUri().toString()));
      loaded.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      JsonNode result = tab.call("Runtime.evaluate", JSON.createObjectNode().put("returnByValue", true).put("expression",
          "JSON.stringify(Array.from(document.images).map(i => ({src: i.getAttribute('src'), naturalWidth: i.naturalWidth})))"));
      List<PageImage> images = new ArrayList<>();
      for (JsonNode image : JSON.readTree(result.path("result").path("value").asText("[]"))) {
        images.add(new PageImage(image.path("src").asText(), image.path("naturalWidth").asInt()));
      }
      return new PageLoad(List.copyOf(images), List.copyOf(errors));
    }
  }

  /** The WebSocket address of the browser's first tab. */
  private URI pageTarget() throws IOException, InterruptedException {
    HttpResponse<String> list = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(), HttpResponse.BodyHandlers.ofString());
    for (JsonNode target : JSON.readTree(list.body())) {
      if (target.path("type").asText().equals("page")) return URI.create(target.path("webSocketDebuggerUrl").asText());
    }
    throw new IOException("the browser has no page target: " + list.body());
  }

  @Override
  public void close() throws IOException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(profile)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // the profile is in the temp folder; a file the browser still held is left behind
    }
  }

  /** One DevTools session over a WebSocket: commands with ids, replies and events by method. */
  private static final class DevTools implements WebSocket.Listener, AutoCloseable {
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
    private final Map<String, List<java.util.function.Consumer<JsonNode>>> listeners = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private final Duration timeout;
    private WebSocket socket;

    private DevTools(Duration timeout) {
      this.timeout = timeout;
    }

    static DevTools connect(URI target, Duration timeout) throws Exception {
      DevTools session = new DevTools(timeout);
      session.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(timeout)
          .buildAsync(target, session).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return session;
    }

    void on(String method, java.util.function.Consumer<JsonNode> listener) {
      listeners.computeIfAbsent(method, m -> new CopyOnWriteArrayList<>()).add(listener);
    }

    CompletableFuture<JsonNode> next(String method) {
      CompletableFuture<JsonNode> event = new CompletableFuture<>();
      on(method, event::complete);
      return event;
    }

    JsonNode call(String method, ObjectNode params) throws Exception {
      int id = ids.incrementAndGet();
      CompletableFuture<JsonNode> reply = new CompletableFuture<>();
      replies.put(id, reply);
      ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
      command.set("params", params);
      socket.sendText(JSON.writeValueAsString(command), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      JsonNode answer = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (answer.has("error")) throw new IOException(method + " failed: " + answer.path("error"));
      return answer.path("result");
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          JsonNode message = JSON.readTree(text);
          if (message.has("id")) {
            CompletableFuture<JsonNode> reply = replies.remove(message.path("id").asInt());
            if (reply != null) reply.complete(message);
          } else {
            listeners.getOrDefault(message.path("method").asText(), List.of()).forEach(l -> l.accept(message.path("params")));
          }
        } catch (IOException e) {
          replies.values().forEach(r -> r.completeExceptionally(e));
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void close() {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
  }
}
