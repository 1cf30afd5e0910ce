package dev.urae.batch.teacher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.infra.retry.Backoff;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client of an asynchronous image API of the FLUX1.1 [pro] Ultra kind (the BFL API shape):
 * submit {@code POST {base}/v1/flux-pro-1.1-ultra} with the prompt, seed, aspect ratio and output
 * format; poll the returned {@code polling_url} until the task is {@code Ready}; download
 * {@code result.sample}. 429, 5xx and connection errors are retried per call as the shared
 * {@link Backoff} policy says, never sooner than the server's {@code Retry-After}, within the
 * item's overall timeout.
 *
 * <p>Secrecy: the API key is sent only as the {@code x-key} header to the API host (and its
 * sibling subdomains, which serve the polling URLs), never to the image download host, never
 * follows redirects, and never appears in logs or exception messages.
 */
final class ImageApiClient {
  private static final Logger log = LoggerFactory.getLogger(ImageApiClient.class);
  private static final Set<String> PENDING = Set.of("Pending", "Queued", "Processing", "In Progress");
  private static final Set<String> FAILED = Set.of("Error", "Failed", "Task not found");
  private static final int MAX_BODY_IN_MESSAGE = 300;

  /** What the API answered for one generation. */
  sealed interface Answer {
    /** The image as downloaded from {@code where}, with the API's caption (if any) and task id. */
    record Image(byte[] bytes, String where, String caption, String source) implements Answer {}

    /** A moderation verdict: one of the {@link Refusal} reasons, with the API's details. */
    record Moderated(String reason, String details) implements Answer {}
  }

  private final HttpTeacherConfig config;
  private final ApiKey apiKey;
  private final HttpClient apiClient;
  private final HttpClient downloadClient;
  private final Backoff backoff;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();

  ImageApiClient(HttpTeacherConfig config, ApiKey apiKey) {
    this.config = config;
    this.apiKey = apiKey;
    // Key-bearing calls never follow redirects: a redirect would carry the header elsewhere.
    this.apiClient = HttpClient.newBuilder()
        .connectTimeout(config.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.downloadClient = HttpClient.newBuilder()
        .connectTimeout(config.connectTimeout())
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
    // Callers share this client across threads: the jitter comes from each thread's own generator.
    this.backoff = Backoff.shared(config.initialBackoff(), config.maxBackoff());
    this.clock = Clock.systemUTC();
  }

  /**
   * Generates one image: submits, polls and downloads, or returns the moderation verdict.
   *
   * @param aspectRatio the reduced {@code W:H} the API accepts
   * @param deadline    {@link System#nanoTime()} by which the item must be done
   * @throws TeacherException on a failure of the API or its answers, naming the call
   */
  Answer generate(TeacherRequest request, String aspectRatio, long deadline) throws IOException, InterruptedException {
    Call call = new Call(request, deadline);
    return call.awaitAnswer(call.submit(aspectRatio));
  }

  /** One item's conversation with the API. */
  private final class Call {
    private final TeacherRequest request;
    private final long deadline;

    Call(TeacherRequest request, long deadline) {
      this.request = request;
      this.deadline = deadline;
    }

    URI submit(String aspectRatio) throws IOException, InterruptedException {
      ObjectNode body = json.createObjectNode()
          .put("prompt", request.prompt())
          .put("seed", request.seed())
          .put("aspect_ratio", aspectRatio)
          .put("output_format", request.outputFormat().apiName())
          .put("raw", config.raw());
      URI uri = config.submitUri();
      HttpRequest post = apiRequest(uri)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
          .build();
      HttpResponse<byte[]> response = send(apiClient, post, "POST " + uri);
      JsonNode answer = parse(response, "POST " + uri);
      String taskId = text(answer, "id", "POST " + uri);
      String polling = text(answer, "polling_url", "POST " + uri);
      URI pollingUri;
      try {
        pollingUri = config.baseUri().resolve(polling);
      } catch (IllegalArgumentException e) {
        throw failure("malformed answer from POST " + uri + ": polling_url is not a URL");
      }
      if (!mayCarryKey(pollingUri)) {
        throw failure("polling_url host " + pollingUri.getHost() + " is not the API host "
            + config.baseUri().getHost() + " or one of its subdomains; not sending the API key there");
      }
      log.debug("item {} submitted as task {}", request.itemId(), taskId);
      return pollingUri;
    }

    Answer awaitAnswer(URI pollingUri) throws IOException, InterruptedException {
      String what = "GET " + pollingUri;
      String status = "(not polled yet)";
      while (true) {
        sleepUntilNextPoll(status);
        HttpRequest get = apiRequest(pollingUri).GET().build();
        JsonNode answer = parse(send(apiClient, get, what), what);
        status = text(answer, "status", what);
        if (PENDING.contains(status)) continue;
        switch (status) {
          case "Ready":
            return download(answer, what);
          case "Content Moderated":
            return new Answer.Moderated(Refusal.CONTENT_MODERATED, details(answer));
          case "Request Moderated":
            return new Answer.Moderated(Refusal.REQUEST_MODERATED, details(answer));
          default:
            String cause = FAILED.contains(status) ? "the API reports status \"" : "unexpected status \"";
            throw failure(cause + status + "\" from " + what + detailsSuffix(answer));
        }
      }
    }

    private void sleepUntilNextPoll(String lastStatus) throws InterruptedException, TeacherTimeoutException {
      long wait = config.pollInterval().toNanos();
      if (System.nanoTime() + wait > deadline) {
        throw new TeacherTimeoutException(request.itemId(), "no result within " + config.timeout()
            + " (teacher.http.timeout); last status " + lastStatus);
      }
      java.util.concurrent.TimeUnit.NANOSECONDS.sleep(wait);
    }

    private Answer.Image download(JsonNode answer, String what) throws IOException, InterruptedException {
      JsonNode result = answer.path("result");
      String sample = result.path("sample").asText("");
      if (sample.isEmpty()) throw failure("malformed answer from " + what + ": Ready without result.sample");
      URI imageUri;
      try {
        imageUri = config.baseUri().resolve(sample);
      } catch (IllegalArgumentException e) {
        throw failure("malformed answer from " + what + ": result.sample is not a URL");
      }
      String where = "GET " + withoutQuery(imageUri); // signed URLs carry credentials in the query
      HttpRequest get = HttpRequest.newBuilder(imageUri).timeout(config.requestTimeout()).GET().build();
      byte[] bytes = send(downloadClient, get, where).body();
      if (bytes.length > config.maxImageBytes()) {
        throw failure("image from " + where + " is " + bytes.length + " bytes, more than "
            + "teacher.http.max-image-bytes = " + config.maxImageBytes());
      }
      String caption = result.path("prompt").isTextual() ? result.path("prompt").asText() : null;
      return new Answer.Image(bytes, where, caption, "http:" + text(answer, "id", what));
    }

    /** Sends with retries on 429, 5xx and connection errors; returns the first 2xx response. */
    private HttpResponse<byte[]> send(HttpClient client, HttpRequest httpRequest, String what)
        throws IOException, InterruptedException {
      for (int attempt = 1; ; attempt++) {
        String problem;
        Optional<Duration> retryAfter = Optional.empty();
        try {
          HttpResponse<byte[]> response = client.send(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
          int status = response.statusCode();
          if (status >= 200 && status < 300) return response;
          if (status != 429 && status < 500) throw failure(describeClientError(status, response, what));
          problem = "HTTP " + status + " from " + what;
          retryAfter = response.headers().firstValue("Retry-After")
              .flatMap(value -> RetryAfter.parse(value, clock));
        } catch (IOException e) {
          if (e instanceof TeacherException teacherFailure) throw teacherFailure;
          problem = apiKey.redact(e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")")) + " on " + what;
        }
        if (attempt >= config.maxAttempts()) {
          throw failure("gave up after " + attempt + " attempts (teacher.http.max-attempts): " + problem);
        }
        Duration wait = backoff.delay(attempt, retryAfter);
        if (System.nanoTime() + wait.toNanos() > deadline) {
          throw new TeacherTimeoutException(request.itemId(), problem + "; the next retry in " + wait
              + " would pass the timeout of " + config.timeout() + " (teacher.http.timeout)");
        }
        log.info("item {}: {}; retry {} of {} in {} ms", request.itemId(), problem, attempt + 1,
            config.maxAttempts(), wait.toMillis());
        Thread.sleep(wait.toMillis());
      }
    }

    private String describeClientError(int status, HttpResponse<byte[]> response, String what) {
      String advice = switch (status) {
        case 401, 403 -> "; the API key was rejected: check the key in $" + apiKey.variable()
            + " (teacher.http.api-key-env)";
        case 402 -> "; the account has no credits left";
        default -> "";
      };
      return "HTTP " + status + " from " + what + advice + bodySnippet(response.body());
    }

    private JsonNode parse(HttpResponse<byte[]> response, String what) throws TeacherException {
      try {
        JsonNode node = json.readTree(response.body());
        if (node == null || !node.isObject()) {
          throw failure("malformed answer from " + what + ": expected a JSON object" + bodySnippet(response.body()));
        }
        return node;
      } catch (JsonProcessingException e) {
        throw failure("malformed JSON from " + what + bodySnippet(response.body()));
      } catch (IOException e) {
        throw failure("unreadable answer from " + what + ": " + e.getMessage());
      }
    }

    private String text(JsonNode node, String field, String what) throws TeacherException {
      JsonNode value = node.get(field);
      if (value == null || !value.isValueNode() || value.asText().isEmpty()) {
        throw failure("malformed answer from " + what + ": no \"" + field + "\" field");
      }
      return value.asText();
    }

    private String details(JsonNode answer) {
      JsonNode details = answer.path("details");
      if (details.isMissingNode() || details.isNull()) details = answer.path("result");
      return details.isMissingNode() || details.isNull() ? "" : apiKey.redact(details.toString());
    }

    private String detailsSuffix(JsonNode answer) {
      String details = details(answer);
      return details.isEmpty() ? "" : ": " + details;
    }

    private String bodySnippet(byte[] body) {
      if (body == null || body.length == 0) return "";
      String text = new String(body, 0, Math.min(body.length, MAX_BODY_IN_MESSAGE), StandardCharsets.UTF_8)
          .replaceAll("\\s+", " ").trim();
      return ": " + apiKey.redact(text) + (body.length > MAX_BODY_IN_MESSAGE ? "..." : "");
    }

    private TeacherException failure(String message) {
      return new TeacherException(request.itemId(), message);
    }

    private TeacherException failure(String message, Throwable cause) {
      return new TeacherException(request.itemId(), message, cause);
    }
  }

  private HttpRequest.Builder apiRequest(URI uri) {
    return HttpRequest.newBuilder(uri)
        .timeout(config.requestTimeout())
        .header("Accept", "application/json")
        .header("x-key", apiKey.reveal());
  }

  /**
   * The API host itself or a sibling under the same parent domain (BFL answers from regional
   * hosts such as {@code api.us1.bfl.ai} for a base of {@code api.bfl.ai}), on the same scheme.
   */
  private boolean mayCarryKey(URI uri) {
    URI base = config.baseUri();
    if (uri.getHost() == null || !base.getScheme().equalsIgnoreCase(uri.getScheme())) return false;
    String host = uri.getHost().toLowerCase(java.util.Locale.ROOT);
    String baseHost = base.getHost().toLowerCase(java.util.Locale.ROOT);
    if (host.equals(baseHost)) return uri.getPort() == base.getPort();
    int dot = baseHost.indexOf('.');
    String parent = dot > 0 && baseHost.indexOf('.', dot + 1) > 0 ? baseHost.substring(dot + 1) : baseHost;
    return !isIpAddress(baseHost) && host.endsWith("." + parent);
  }

  private static boolean isIpAddress(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  private static String withoutQuery(URI uri) {
    String text = uri.toString();
    int cut = text.indexOf('?');
    return cut < 0 ? text : text.substring(0, cut) + "?…";
  }
}
