package dev.urae.tests.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import dev.urae.infra.aws.AwsClientFactory;
import dev.urae.infra.aws.AwsSettings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The one seam through which integration tests reach an AWS emulator. In order of preference:
 *
 * <ol>
 *   <li>{@code LOCALSTACK_ENDPOINT} or {@code AWS_ENDPOINT_URL}, when set: an emulator someone
 *       else runs (a LocalStack container in a developer's Docker, say);
 *   <li>a LocalStack container through Testcontainers, when a Docker engine answers;
 *   <li>a {@code moto_server} started here on a free loopback port (the default on machines
 *       without Docker, CI included). AWS Batch jobs then run without Docker and succeed at
 *       once, so tests can observe submissions without containers.
 * </ol>
 *
 * One emulator serves the whole test JVM; it is stopped when the JVM exits. Only loopback
 * addresses are ever used, with dummy credentials, so nothing can reach a real AWS account.
 */
public final class AwsEmulator {
  public static final String REGION = "us-east-1";
  public static final String ACCESS_KEY = "test";
  public static final String SECRET_KEY = "test";

  private static AwsEmulator shared;

  private final URI endpoint;
  private final String kind;
  private final Process process;

  private AwsEmulator(URI endpoint, String kind, Process process) {
    this.endpoint = endpoint;
    this.kind = kind;
    this.process = process;
  }

  /** The emulator for this JVM, started on first use. */
  public static synchronized AwsEmulator get() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "aws-emulator-stop"));
    }
    return shared;
  }

  public URI endpoint() {
    return endpoint;
  }

  /** {@code external}, {@code localstack} or {@code moto}: tests that need moto's APIs check it. */
  public String kind() {
    return kind;
  }

  public boolean isMoto() {
    return kind.equals("moto");
  }

  /**
   * The environment a child process (the CLI, Terraform) needs to talk to this emulator and
   * nothing else: endpoint, region and dummy credentials.
   */
  public Map<String, String> environment() {
    return Map.of(
        "AWS_ENDPOINT_URL", endpoint.toString(),
        "AWS_REGION", REGION,
        "AWS_DEFAULT_REGION", REGION,
        "AWS_ACCESS_KEY_ID", ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY", SECRET_KEY,
        "AWS_EC2_METADATA_DISABLED", "true");
  }

  /**
   * A client factory for this emulator (endpoint, region, dummy keys), the same factory the app
   * builds from {@link #environment()}.
   */
  public AwsClientFactory clients() {
    return clientsFor(endpoint);
  }

  /** A client factory for any loopback endpoint (a fault-injecting proxy in front of this one). */
  public static AwsClientFactory clientsFor(URI endpoint) {
    requireLoopback(endpoint, "endpoint");
    return AwsClientFactory.create(AwsSettings.builder()
            .optEndpoint(endpoint.toString())
            .optRegion(REGION)
            .optEnvironment(Map.of())
            .build())
        .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
  }

  /**
   * A name no other test has used in this emulator, for per-test buckets, queues and job queues
   * (S3 bucket rules: lower case, digits and dashes, at most 63 characters).
   */
  public static String uniqueName(String stem) {
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String clean = stem.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    return (clean.length() > 40 ? clean.substring(0, 40) : clean) + "-" + suffix;
  }

  /**
   * Starts a separate {@code moto_server} with extra environment variables (e.g.
   * {@code MOTO_SIMPLE_BATCH_FAIL_AFTER=0} to make every Batch job fail), for tests that need
   * moto behaving differently from the shared one. Returns empty when moto is not installed;
   * the caller stops it with {@link #close()}.
   */
  public static java.util.Optional<AwsEmulator> startPrivateMoto(Map<String, String> environment) {
    if (findOnPath("moto_server") == null) return java.util.Optional.empty();
    return java.util.Optional.of(startMoto(environment));
  }

  /** Stops an emulator from {@link #startPrivateMoto}; the shared one stops with the JVM. */
  public void close() {
    if (this != shared) destroyProcess();
  }

  /** Sets moto's runtime configuration (e.g. {@code {"batch": {"use_docker": false}}}). */
  public void configureMoto(String json) {
    if (!isMoto()) return;
    post("/moto-api/config", json);
  }

  private static AwsEmulator start() {
    for (String variable : List.of("LOCALSTACK_ENDPOINT", "AWS_ENDPOINT_URL")) {
      String value = System.getenv(variable);
      if (value != null && !value.isBlank()) {
        requireLoopback(URI.create(value), variable);
        return new AwsEmulator(URI.create(value), "external", null);
      }
    }
    AwsEmulator localstack = LocalStackContainerSupport.startIfDockerAnswers();
    if (localstack != null) return localstack;
    return startMoto();
  }

  static AwsEmulator external(URI endpoint, String kind) {
    return new AwsEmulator(endpoint, kind, null);
  }

  private static AwsEmulator startMoto() {
    return startMoto(Map.of());
  }

  private static AwsEmulator startMoto(Map<String, String> extraEnvironment) {
    String executable = findOnPath("moto_server");
    if (executable == null) {
      throw new IllegalStateException(
          "no AWS emulator: set LOCALSTACK_ENDPOINT or AWS_ENDPOINT_URL, start Docker, or install"
              + " moto_server (pip install 'moto[server]'); .ci/run installs it when missing");
    }
    int port = freePort();
    try {
      Path log = Files.createTempFile("moto-server-", ".log");
      ProcessBuilder builder = new ProcessBuilder(executable, "-H", "127.0.0.1", "-p", String.valueOf(port))
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().put("MOTO_ALLOW_NONEXISTENT_REGION", "true");
      builder.environment().putAll(extraEnvironment);
      Process process = builder.start();
      AwsEmulator moto = new AwsEmulator(URI.create("http://127.0.0.1:" + port), "moto", process);
      moto.awaitReady(Duration.ofSeconds(60), log);
      moto.configureMoto("{\"batch\": {\"use_docker\": false}}");
      return moto;
    } catch (IOException e) {
      throw new IllegalStateException("could not start moto_server: " + e.getMessage(), e);
    }
  }

  private void awaitReady(Duration timeout, Path log) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpClient client = HttpClient.newHttpClient();
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new IllegalStateException("moto_server exited early:\n" + Files.readString(log));
      }
      try {
        HttpResponse<Void> response = client.send(
            HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() < 500) return;
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for moto_server", e);
      }
      sleep(100);
    }
    throw new IllegalStateException("moto_server did not answer within " + timeout + ":\n" + Files.readString(log));
  }

  private void post(String path, String json) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(endpoint.resolve(path))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException("POST " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void stop() {
    destroyProcess();
    LocalStackContainerSupport.stop();
  }

  private void destroyProcess() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
      } catch (InterruptedException e) {
        process.destroyForcibly();
      }
    }
  }

  static void requireLoopback(URI uri, String source) {
    String host = uri.getHost();
    boolean loopback = host != null
        && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1")
            || host.endsWith(".localhost.localstack.cloud") || host.equals("localhost.localstack.cloud"));
    if (!loopback) {
      throw new IllegalStateException(source + " must point at a loopback emulator, not " + uri
          + ": integration tests never talk to a real AWS account");
    }
  }

  static String findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) return null;
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) return candidate.toString();
    }
    return null;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
