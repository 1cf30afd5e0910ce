package dev.urae.batch.teacher;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the {@link HttpTeacher}. Every value has a documented default; the setting names in
 * parentheses are the ones error messages use and that a run configuration should expose.
 *
 * <ul>
 *   <li>{@code baseUri} ({@code teacher.http.base-url}, default {@code https://api.bfl.ai/}):
 *       the API root;
 *   <li>{@code endpoint} ({@code teacher.http.endpoint}, default {@code v1/flux-pro-1.1-ultra}):
 *       the submit path, relative to the root;
 *   <li>{@code apiKeyEnv} ({@code teacher.http.api-key-env}, default {@code BFL_API_KEY}): the
 *       environment variable that holds the API key (the key itself is never a setting, so it
 *       never lands in a config file, a job parameter or a report);
 *   <li>{@code raw} ({@code teacher.http.raw}, default false): ask for the less processed, more
 *       natural-looking "raw" mode;
 *   <li>{@code maxConcurrency} ({@code teacher.http.max-concurrency}, default 4): generations in
 *       flight at the API at once, across all threads using this teacher;
 *   <li>{@code pollInterval} ({@code teacher.http.poll-interval}, default 500 ms);
 *   <li>{@code timeout} ({@code teacher.http.timeout}, default 10 min): per item, from submission
 *       to the downloaded image, retries included;
 *   <li>{@code maxAttempts} ({@code teacher.http.max-attempts}, default 6): tries per HTTP call
 *       on 429, 5xx and connection errors;
 *   <li>{@code initialBackoff} / {@code maxBackoff} ({@code teacher.http.initial-backoff},
 *       default 1 s; {@code teacher.http.max-backoff}, default 60 s): exponential backoff with
 *       jitter between attempts, never shorter than the server's {@code Retry-After};
 *   <li>{@code connectTimeout} (default 10 s) and {@code requestTimeout} (default 60 s) per HTTP
 *       exchange;
 *   <li>{@code maxImageBytes} (default 100 MiB): the largest image download accepted.
 * </ul>
 */
public final class HttpTeacherConfig {
  public static final URI DEFAULT_BASE_URI = URI.create("https://api.bfl.ai/");
  public static final String DEFAULT_ENDPOINT = "v1/flux-pro-1.1-ultra";
  public static final String DEFAULT_API_KEY_ENV = "BFL_API_KEY";

  private final URI baseUri;
  private final String endpoint;
  private final String apiKeyEnv;
  private final boolean raw;
  private final int maxConcurrency;
  private final Duration pollInterval;
  private final Duration timeout;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final long maxImageBytes;

  private HttpTeacherConfig(Builder b) {
    this.baseUri = b.baseUri;
    this.endpoint = b.endpoint;
    this.apiKeyEnv = b.apiKeyEnv;
    this.raw = b.raw;
    this.maxConcurrency = b.maxConcurrency;
    this.pollInterval = b.pollInterval;
    this.timeout = b.timeout;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.maxImageBytes = b.maxImageBytes;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static HttpTeacherConfig defaults() {
    return builder().build();
  }

  /** The option prefix of this teacher's settings in a run configuration or task spec. */
  public static final String OPTION_PREFIX = "teacher.http.";

  /**
   * Reads the settings named in the class comment (without their {@code teacher.http.} prefix
   * in the known set) from a flat option map; missing ones keep their defaults, unknown ones under
   * the prefix are an error. Other keys are ignored.
   */
  public static HttpTeacherConfig fromOptions(Map<String, String> options) {
    TeacherOptions o = new TeacherOptions(OPTION_PREFIX, options, Set.of("base-url", "endpoint",
        "api-key-env", "raw", "max-concurrency", "poll-interval", "timeout", "max-attempts",
        "initial-backoff", "max-backoff", "connect-timeout", "request-timeout", "max-image-bytes"));
    Builder b = builder();
    if (o.has("base-url")) b.optBaseUri(o.string("base-url"));
    if (o.has("endpoint")) b.optEndpoint(o.string("endpoint"));
    if (o.has("api-key-env")) b.optApiKeyEnv(o.string("api-key-env"));
    if (o.has("raw")) b.optRaw(o.bool("raw"));
    if (o.has("max-concurrency")) b.optMaxConcurrency(o.integer("max-concurrency"));
    if (o.has("poll-interval")) b.optPollInterval(o.duration("poll-interval"));
    if (o.has("timeout")) b.optTimeout(o.duration("timeout"));
    if (o.has("max-attempts")) b.optMaxAttempts(o.integer("max-attempts"));
    if (o.has("initial-backoff")) b.optInitialBackoff(o.duration("initial-backoff"));
    if (o.has("max-backoff")) b.optMaxBackoff(o.duration("max-backoff"));
    if (o.has("connect-timeout")) b.optConnectTimeout(o.duration("connect-timeout"));
    if (o.has("request-timeout")) b.optRequestTimeout(o.duration("request-timeout"));
    if (o.has("max-image-bytes")) b.optMaxImageBytes(o.longValue("max-image-bytes"));
    return b.build();
  }

  /** The settings as options that {@link #fromOptions} reads back (for task specs). */
  public Map<String, String> toOptions() {
    Map<String, String> options = new java.util.TreeMap<>();
    options.put(OPTION_PREFIX + "base-url", baseUri.toString());
    options.put(OPTION_PREFIX + "endpoint", endpoint);
    options.put(OPTION_PREFIX + "api-key-env", apiKeyEnv);
    options.put(OPTION_PREFIX + "raw", String.valueOf(raw));
    options.put(OPTION_PREFIX + "max-concurrency", String.valueOf(maxConcurrency));
    options.put(OPTION_PREFIX + "poll-interval", pollInterval.toString());
    options.put(OPTION_PREFIX + "timeout", timeout.toString());
    options.put(OPTION_PREFIX + "max-attempts", String.valueOf(maxAttempts));
    options.put(OPTION_PREFIX + "initial-backoff", initialBackoff.toString());
    options.put(OPTION_PREFIX + "max-backoff", maxBackoff.toString());
    options.put(OPTION_PREFIX + "connect-timeout", connectTimeout.toString());
    options.put(OPTION_PREFIX + "request-timeout", requestTimeout.toString());
    options.put(OPTION_PREFIX + "max-image-bytes", String.valueOf(maxImageBytes));
    return options;
  }

  public URI baseUri() { return baseUri; }
  public String endpoint() { return endpoint; }
  public String apiKeyEnv() { return apiKeyEnv; }
  public boolean raw() { return raw; }
  public int maxConcurrency() { return maxConcurrency; }
  public Duration pollInterval() { return pollInterval; }
  public Duration timeout() { return timeout; }
  public int maxAttempts() { return maxAttempts; }
  public Duration initialBackoff() { return initialBackoff; }
  public Duration maxBackoff() { return maxBackoff; }
  public Duration connectTimeout() { return connectTimeout; }
  public Duration requestTimeout() { return requestTimeout; }
  public long maxImageBytes() { return maxImageBytes; }

  /** The full submit URI, {@code baseUri} resolved against {@code endpoint}. */
  public URI submitUri() {
    return baseUri.resolve(endpoint);
  }

  @Override
  public String toString() {
    return "HttpTeacherConfig[submit=" + submitUri() + ", apiKeyEnv=" + apiKeyEnv + ", raw=" + raw
        + ", maxConcurrency=" + maxConcurrency + ", pollInterval=" + pollInterval
        + ", timeout=" + timeout + ", maxAttempts=" + maxAttempts + ", backoff=" + initialBackoff
        + ".." + maxBackoff + "]";
  }

  /** Builder: {@code setX} for required values (none here), {@code optX} for optional ones. */
  public static final class Builder {
    private URI baseUri = DEFAULT_BASE_URI;
    private String endpoint = DEFAULT_ENDPOINT;
    private String apiKeyEnv = DEFAULT_API_KEY_ENV;
    private boolean raw;
    private int maxConcurrency = 4;
    private Duration pollInterval = Duration.ofMillis(500);
    private Duration timeout = Duration.ofMinutes(10);
    private int maxAttempts = 6;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(60);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private long maxImageBytes = 100L << 20;

    private Builder() {}

    /** The API root, e.g. {@code https://api.bfl.ai/}; a missing trailing slash is added. */
    public Builder optBaseUri(URI baseUri) {
      this.baseUri = baseUri;
      return this;
    }

    public Builder optBaseUri(String baseUri) {
      try {
        return optBaseUri(URI.create(Objects.requireNonNull(baseUri, "teacher.http.base-url == null")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("teacher.http.base-url is not a URL: " + baseUri, e);
      }
    }

    public Builder optEndpoint(String endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    public Builder optApiKeyEnv(String apiKeyEnv) {
      this.apiKeyEnv = apiKeyEnv;
      return this;
    }

    public Builder optRaw(boolean raw) {
      this.raw = raw;
      return this;
    }

    public Builder optMaxConcurrency(int maxConcurrency) {
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    public Builder optPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
      return this;
    }

    public Builder optTimeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder optMaxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder optInitialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
      return this;
    }

    public Builder optMaxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
      return this;
    }

    public Builder optConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder optRequestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    public Builder optMaxImageBytes(long maxImageBytes) {
      this.maxImageBytes = maxImageBytes;
      return this;
    }

    public HttpTeacherConfig build() {
      if (baseUri == null) throw new IllegalArgumentException("teacher.http.base-url == null");
      String scheme = baseUri.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme) || baseUri.getHost() == null) {
        throw new IllegalArgumentException(
            "teacher.http.base-url must be an http(s) URL with a host, got " + baseUri);
      }
      if (baseUri.getRawQuery() != null || baseUri.getRawFragment() != null) {
        throw new IllegalArgumentException("teacher.http.base-url must not have a query or fragment: " + baseUri);
      }
      if (!baseUri.getPath().endsWith("/")) baseUri = URI.create(baseUri + "/");
      if (endpoint == null || endpoint.isBlank()) throw new IllegalArgumentException("teacher.http.endpoint is empty");
      if (endpoint.startsWith("/")) endpoint = endpoint.substring(1);
      if (apiKeyEnv == null || !apiKeyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException(
            "teacher.http.api-key-env must name an environment variable, got \"" + apiKeyEnv + "\"");
      }
      if (maxConcurrency < 1) {
        throw new IllegalArgumentException("teacher.http.max-concurrency must be >= 1, got " + maxConcurrency);
      }
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("teacher.http.max-attempts must be >= 1, got " + maxAttempts);
      }
      positive("teacher.http.poll-interval", pollInterval);
      positive("teacher.http.timeout", timeout);
      positive("teacher.http.initial-backoff", initialBackoff);
      positive("teacher.http.max-backoff", maxBackoff);
      positive("teacher.http.connect-timeout", connectTimeout);
      positive("teacher.http.request-timeout", requestTimeout);
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("teacher.http.max-backoff (" + maxBackoff
            + ") must be >= teacher.http.initial-backoff (" + initialBackoff + ")");
      }
      if (maxImageBytes < 1) {
        throw new IllegalArgumentException("teacher.http.max-image-bytes must be >= 1, got " + maxImageBytes);
      }
      return new HttpTeacherConfig(this);
    }

    private static void positive(String name, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
      }
    }
  }
}
