package dev.urae.batch.teacher;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * A teacher backed by an asynchronous image API of the FLUX1.1 [pro] Ultra kind, through
 * {@link ImageApiClient}: the image comes back cropped and resized to the requested size, and a
 * moderation verdict is a {@link Refusal} for that item, as is an aspect ratio outside the API's
 * range. Each item has an overall timeout. At most {@code maxConcurrency} generations are in
 * flight at the API across all callers (the API limits active tasks per key), counted from
 * submission until the image is downloaded.
 *
 * <p>The API key comes from an environment variable and never appears in logs, exception
 * messages or {@link #toString()}.
 */
public final class HttpTeacher implements Teacher {
  /** The aspect ratios the Ultra endpoint accepts: from 21:9 to 9:21. */
  private static final double MAX_ASPECT = 21.0 / 9.0;

  private final HttpTeacherConfig config;
  private final ApiKey apiKey;
  private final ImageApiClient api;
  private final Semaphore inFlight;

  /** A teacher that reads its API key from the process environment. */
  public HttpTeacher(HttpTeacherConfig config) {
    this(config, System.getenv());
  }

  /**
   * A teacher that reads its API key from {@code environment} (tests pass a map).
   *
   * @throws IllegalStateException when the key variable is unset, naming the variable
   */
  public HttpTeacher(HttpTeacherConfig config, Map<String, String> environment) {
    this.config = java.util.Objects.requireNonNull(config, "config == null");
    this.apiKey = ApiKey.fromEnvironment(config.apiKeyEnv(), environment);
    this.api = new ImageApiClient(config, apiKey);
    this.inFlight = new Semaphore(config.maxConcurrency(), true);
  }

  @Override
  public String name() {
    return "http";
  }

  @Override
  public String fingerprint() {
    return "http:" + config.submitUri() + ";raw=" + config.raw();
  }

  public HttpTeacherConfig config() {
    return config;
  }

  @Override
  public TeacherResult generate(TeacherRequest request) throws IOException, InterruptedException {
    Optional<String> aspect = aspectRatio(request.width(), request.height());
    if (aspect.isEmpty()) {
      return new Refusal(request.itemId(), Refusal.UNSUPPORTED_REQUEST, "aspect ratio "
          + request.width() + "x" + request.height() + " is outside the API's range 21:9 to 9:21");
    }
    ImageApiClient.Answer answer;
    inFlight.acquire();
    try {
      answer = api.generate(request, aspect.get(), System.nanoTime() + config.timeout().toNanos());
    } finally {
      inFlight.release();
    }
    if (answer instanceof ImageApiClient.Answer.Moderated moderated) {
      return new Refusal(request.itemId(), moderated.reason(), moderated.details());
    }
    return fitted(request, (ImageApiClient.Answer.Image) answer);
  }

  /** The reduced {@code W:H} ratio the API expects, or empty when outside 21:9 to 9:21. */
  static Optional<String> aspectRatio(int width, int height) {
    double aspect = (double) width / height;
    if (aspect > MAX_ASPECT + 1e-9 || aspect < 1 / MAX_ASPECT - 1e-9) return Optional.empty();
    int gcd = java.math.BigInteger.valueOf(width).gcd(java.math.BigInteger.valueOf(height)).intValue();
    return Optional.of(width / gcd + ":" + height / gcd);
  }

  /** The downloaded image at the requested size: kept as it is when it already is that PNG. */
  private static TeacherImage fitted(TeacherRequest request, ImageApiClient.Answer.Image answer) throws TeacherException {
    BufferedImage image;
    try {
      image = ImageCodec.decodeRgb(answer.bytes(), "from " + answer.where());
    } catch (IOException e) {
      throw new TeacherException(request.itemId(), e.getMessage(), e);
    }
    int w = request.width();
    int h = request.height();
    boolean asRequested = image.getWidth() == w && image.getHeight() == h;
    byte[] png = asRequested && ImageCodec.isPng(answer.bytes())
        ? answer.bytes()
        : ImageCodec.encodePng(ImageFit.cover(image, w, h));
    return new TeacherImage(request.itemId(), png, w, h, request.prompt(), answer.caption(), answer.source());
  }

  @Override
  public String toString() {
    return "HttpTeacher[" + config + ", key=" + apiKey + "]";
  }
}
