package dev.urae.batch.teacher;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

class HttpTeacherTest {
  private static final String KEY = "sk-test-0123456789abcdef-SECRET";
  private static final String SUBMIT = "/v1/flux-pro-1.1-ultra";
  private static final String POLL = "/v1/get_result";
  private static final ConcurrentRequests concurrency = new ConcurrentRequests();

  @RegisterExtension
  static WireMockExtension api = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().containerThreads(20).extensions(concurrency))
      .build();

  @BeforeEach
  void resetCounters() {
    concurrency.reset();
  }

  @Test
  void submitsPollsDownloadsAndResizesToTheRequestedSize() throws Exception {
    // given an API that answers at once with a 2:1 image twice the requested size
    stubSubmit("task-1");
    stubPoll("task-1", ready("task-1", "a red fox, detailed"));
    stubImage("task-1", TestImages.png(128, 64, Color.RED));
    // when
    TeacherResult result = teacher(fast()).generate(new TeacherRequest("fox", "a red fox", 7, 64, 32));
    // then the image has the requested size and colour, and the caption the API returned
    assertThat(result).isInstanceOf(TeacherImage.class);
    TeacherImage image = (TeacherImage) result;
    assertThat(image.width()).isEqualTo(64);
    assertThat(image.height()).isEqualTo(32);
    assertThat(image.prompt()).isEqualTo("a red fox");
    assertThat(image.caption()).isEqualTo("a red fox, detailed");
    assertThat(image.generatedPrompt()).isEqualTo("a red fox, detailed");
    assertThat(image.source()).isEqualTo("http:task-1");
    BufferedImage decoded = TestImages.decode(image.png());
    assertThat(decoded.getWidth()).isEqualTo(64);
    assertThat(decoded.getHeight()).isEqualTo(32);
    assertThat(TestImages.near(TestImages.colorAt(decoded, 31, 15), Color.RED, 2)).isTrue();
    // and the request had the BFL shape, the key only went to the API host
    api.verify(postRequestedFor(urlPathEqualTo(SUBMIT))
        .withHeader("x-key", equalTo(KEY))
        .withRequestBody(equalToJson(
            "{\"prompt\":\"a red fox\",\"seed\":7,\"aspect_ratio\":\"2:1\",\"output_format\":\"png\",\"raw\":false}")));
    api.verify(getRequestedFor(urlPathEqualTo(POLL)).withHeader("x-key", equalTo(KEY)));
    api.verify(getRequestedFor(urlPathEqualTo("/delivery/task-1.png")).withoutHeader("x-key"));
  }

  @Test
  void passesAnImageOfTheRightSizeThroughUnchanged() throws Exception {
    // given
    byte[] png = TestImages.png(32, 32, Color.BLUE);
    stubSubmit("task-1");
    stubPoll("task-1", ready("task-1", null));
    stubImage("task-1", png);
    // when
    TeacherImage image = (TeacherImage) teacher(fast()).generate(new TeacherRequest("a", "blue", 1, 32, 32));
    // then
    assertThat(image.png()).isEqualTo(png);
    assertThat(image.caption()).isNull();
    assertThat(image.generatedPrompt()).isEqualTo("blue");
  }

  @Test
  void keepsPollingWhileTheTaskIsPending() throws Exception {
    // given three pending answers before the result
    stubSubmit("task-1");
    String state = STARTED;
    for (int i = 1; i <= 3; i++) {
      api.stubFor(get(urlPathEqualTo(POLL)).inScenario("slow").whenScenarioStateIs(state)
          .willReturn(okJson("{\"id\":\"task-1\",\"status\":\"Pending\"}")).willSetStateTo("pending-" + i));
      state = "pending-" + i;
    }
    api.stubFor(get(urlPathEqualTo(POLL)).inScenario("slow").whenScenarioStateIs(state)
        .willReturn(okJson(ready("task-1", null))));
    stubImage("task-1", TestImages.png(32, 32, Color.GREEN));
    // when
    TeacherResult result = teacher(fast()).generate(new TeacherRequest("a", "p", 1, 32, 32));
    // then
    assertThat(result).isInstanceOf(TeacherImage.class);
    api.verify(4, getRequestedFor(urlPathEqualTo(POLL)));
  }

  @Test
  void waitsAsLongAsRetryAfterSaysOn429() throws Exception {
    // given a throttled first submission; the configured backoff alone would wait ~10 ms
    api.stubFor(post(urlPathEqualTo(SUBMIT)).inScenario("throttled").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("open"));
    api.stubFor(post(urlPathEqualTo(SUBMIT)).inScenario("throttled").whenScenarioStateIs("open")
        .willReturn(okJson(submitted("task-1"))));
    stubPoll("task-1", ready("task-1", null));
    stubImage("task-1", TestImages.png(32, 32, Color.GREEN));
    // when
    long start = System.nanoTime();
    TeacherResult result = teacher(fast()).generate(new TeacherRequest("a", "p", 1, 32, 32));
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    // then
    assertThat(result).isInstanceOf(TeacherImage.class);
    assertThat(elapsedMillis).isGreaterThanOrEqualTo(1000);
    api.verify(2, postRequestedFor(urlPathEqualTo(SUBMIT)));
  }

  @Test
  void retriesServerErrorsThenSucceeds() throws Exception {
    // given a poll endpoint that fails twice with 503 and a download that fails once with 500
    stubSubmit("task-1");
    api.stubFor(get(urlPathEqualTo(POLL)).inScenario("flaky").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
    api.stubFor(get(urlPathEqualTo(POLL)).inScenario("flaky").whenScenarioStateIs("second")
        .willReturn(aResponse().withStatus(502)).willSetStateTo("up"));
    api.stubFor(get(urlPathEqualTo(POLL)).inScenario("flaky").whenScenarioStateIs("up")
        .willReturn(okJson(ready("task-1", null))));
    api.stubFor(get(urlPathEqualTo("/delivery/task-1.png")).inScenario("cdn").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(500)).willSetStateTo("up"));
    api.stubFor(get(urlPathEqualTo("/delivery/task-1.png")).inScenario("cdn").whenScenarioStateIs("up")
        .willReturn(aResponse().withBody(TestImages.png(32, 32, Color.GREEN))));
    // when
    TeacherResult result = teacher(fast()).generate(new TeacherRequest("a", "p", 1, 32, 32));
    // then
    assertThat(result).isInstanceOf(TeacherImage.class);
    api.verify(3, getRequestedFor(urlPathEqualTo(POLL)));
    api.verify(2, getRequestedFor(urlPathEqualTo("/delivery/task-1.png")));
  }

  @Test
  void givesUpAfterTheConfiguredAttempts() {
    // given
    api.stubFor(post(urlPathEqualTo(SUBMIT)).willReturn(aResponse().withStatus(500)));
    HttpTeacher teacher = teacher(fast().optMaxAttempts(3));
    // when / then
    assertThatThrownBy(() -> teacher.generate(new TeacherRequest("item-9", "p", 1, 32, 32)))
        .isInstanceOf(TeacherException.class)
        .hasMessageContaining("item-9")
        .hasMessageContaining("gave up after 3 attempts")
        .hasMessageContaining("HTTP 500");
    api.verify(3, postRequestedFor(urlPathEqualTo(SUBMIT)));
  }

  @Test
  void retriesWhenTheServerCannotBeReachedThenNamesTheCause() throws Exception {
    // given an API address where nothing listens
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    HttpTeacher teacher = teacher(fast().optBaseUri("http://127.0.0.1:" + closedPort + "/").optMaxAttempts(3));
    // when / then
    assertThatThrownBy(() -> teacher.generate(new TeacherRequest("item-7", "p", 1, 32, 32)))
        .isInstanceOf(TeacherException.class)
        .hasMessageContaining("item-7")
        .hasMessageContaining("gave up after 3 attempts")
        .hasMessageContaining("ConnectException");
  }

  @Test
  void reportsMalformedJsonWithoutRetrying() {
    // given
    api.stubFor(post(urlPathEqualTo(SUBMIT)).willReturn(aResponse().withStatus(200).withBody("{\"id\": tas")));
    HttpTeacher teacher = teacher(fast());
    // when / then
    assertThatThrownBy(() -> teacher.generate(new TeacherRequest("item-1", "p", 1, 32, 32)))
        .isInstanceOf(TeacherException.class)
        .hasMessageContaining("item-1")
        .hasMessageContaining("malformed JSON from POST");
    api.verify(1, postRequestedFor(urlPathEqualTo(SUBMIT)));
  }

  @Test
  void reportsAnAnswerWithoutPollingUrl() {
    // given
    api.stubFor(post(urlPathEqualTo(SUBMIT)).willReturn(okJson("{\"id\":\"task-1\"}")));
    HttpTeacher teacher = teacher(fast());
    // when / then
    assertThatThrownBy(() -> teacher.generate(new TeacherRequest("item-1", "p", 1, 32, 32)))
        .isInstanceOf(TeacherException.class)
        .hasMessageContaining("no \"polling_url\" field");
  }

  @Test
  void moderationIsARefusalOfThatItemOnly() throws Exception {
    // given one prompt the API moderates and one it renders
    api.stubFor(post(urlPathEqualTo(SUBMIT)).withRequestBody(equalToJson("{\"prompt\":\"bad\"}", true, true))
        .willReturn(okJson(submitted("task-bad"))));
    api.stubFor(post(urlPathEqualTo(SUBMIT)).withRequestBody(equalToJson("{\"prompt\":\"good\"}", true, true))
        .willReturn(okJson(submitted("task-good"))));
    stubPoll("task-bad", "{\"id\":\"task-bad\",\"status\":\"Content Moderated\","
        + "\"details\":{\"Moderation Reasons\":[\"Derivative Works Filter\"]}}");
    stubPoll("task-good", ready("task-good", null));
    stubImage("task-good", TestImages.png(32, 32, Color.GREEN));
    List<TeacherRequest> shard = List.of(
        new TeacherRequest("i-bad", "bad", 1, 32, 32), new TeacherRequest("i-good", "good", 2, 32, 32));
    // when
    List<TeacherOutcome> outcomes = teacher(fast()).generateAll(shard, 2, TeacherProgress.NONE);
    // then
    assertThat(outcomes).extracting(TeacherOutcome::kind)
        .containsExactly(TeacherOutcome.Kind.REFUSED, TeacherOutcome.Kind.IMAGE);
    Refusal refusal = outcomes.get(0).refusal().orElseThrow();
    assertThat(refusal.itemId()).isEqualTo("i-bad");
    assertThat(refusal.reason()).isEqualTo(Refusal.CONTENT_MODERATED);
    assertThat(refusal.detail()).contains("Derivative Works Filter");
  }

  @Test
  void requestModerationIsARefusalToo() throws Exception {
    // given
    stubSubmit("task-1");
    stubPoll("task-1", "{\"id\":\"task-1\",\"status\":\"Request Moderated\"}");
    // when
    TeacherResult result = teacher(fast()).generate(new TeacherRequest("a", "p", 1, 32, 32));
    // then
    assertThat(result).isEqualTo(new Refusal("a", Refusal.REQUEST_MODERATED, ""));
  }

  @Test
  void anErrorStatusFailsTheItem() {
    // given
    stubSubmit("task-1");
    stubPoll("task-1", "{\"id\":\"task-1\",\"status\":\"Error\"}");
    HttpTeacher teacher = teacher(fast());
    // when / then
    assertThatThrownBy(() -> teacher.generate(new TeacherRequest("item-3", "p", 1, 32, 32)))
        .isInstanceOf(TeacherException.class)
        .hasMessageContaining("item-3")
        .hasMessageContaining("status \"Error\"");
  }

  @Test
  void aFailedDownloadNamesTheItemButNotTheSignature() {
    // given
    stubSubmit("task-1");
    stubPoll("task-1", ready("task-1", null));
    api.stubFor(get(urlPathEqualTo("/delivery/task-1.png")).willReturn(aResponse().withStatus(404)));
    HttpTeacher teacher = teacher(fast());
    // when / then
    assertThatThrownBy(() -> teacher.generate(new TeacherRequest("item-4", "p", 1, 32, 32)))
        .isInstanceOf(TeacherException.class)
        .hasMessageContaining("item-4")
        .hasMessageContaining("HTTP 404")
        .hasMessageContaining("/delivery/task-1.png")
        .hasMessageNotContaining("sig=");
  }

  @Test
  void aDownloadThatIsNotAnImageFailsTheItem() {
    // given
    stubSubmit("task-1");
    stubPoll("task-1", ready("task-1", null));
    stubImage("task-1", "<html>gateway</html>".getBytes());
    HttpTeacher teacher = teacher(fast());
    // when / then
    assertThatThrownBy(() -> teacher.generate(new TeacherRequest("item-5", "p", 1, 32, 32)))
        .isInstanceOf(TeacherException.class)
        .hasMessageContaining("item-5")
        .hasMessageContaining("not a readable image");
  }

  @Test
  void timesOutWhenTheTaskStaysPending() {
    // given
    stubSubmit("task-1");
    stubPoll("task-1", "{\"id\":\"task-1\",\"status\":\"Pending\"}");
    HttpTeacher teacher = teacher(fast().optTimeout(Duration.ofMillis(300)));
    // when
    long start = System.nanoTime();
    assertThatThrownBy(() -> teacher.generate(new TeacherRequest("item-6", "p", 1, 32, 32)))
        // then
        .isInstanceOf(TeacherTimeoutException.class)
        .hasMessageContaining("item-6")
        .hasMessageContaining("no result within PT0.3S")
        .hasMessageContaining("teacher.http.timeout");
    // a teacher without a working timeout would poll this task forever
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void boundsTheRequestsInFlightAtTheServer() throws Exception {
    // given slow submissions and a shard run with more threads than the teacher's bound
    api.stubFor(post(urlPathEqualTo(SUBMIT)).willReturn(okJson(submitted("task-1")).withFixedDelay(300)));
    stubPoll("task-1", ready("task-1", null));
    stubImage("task-1", TestImages.png(32, 32, Color.GREEN));
    List<TeacherRequest> shard = new ArrayList<>();
    for (int i = 0; i < 8; i++) shard.add(new TeacherRequest("item-" + i, "p" + i, i, 32, 32));
    List<Integer> progress = new ArrayList<>();
    // when
    List<TeacherOutcome> outcomes = teacher(fast().optMaxConcurrency(2))
        .generateAll(shard, 8, (outcome, completed, total) -> progress.add(completed));
    // then at most two requests were ever served at once, and two did overlap (the 300 ms
    // submissions would overlap by far more than the 50 ms tolerance if the bound leaked)
    assertThat(outcomes).extracting(TeacherOutcome::kind).containsOnly(TeacherOutcome.Kind.IMAGE);
    assertThat(outcomes).extracting(TeacherOutcome::itemId)
        .containsExactly(shard.stream().map(TeacherRequest::itemId).toArray(String[]::new));
    assertThat(concurrency.peak(50)).isEqualTo(2);
    assertThat(progress).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
  }

  @Test
  void refusesToSendTheKeyToAForeignPollingHost() {
    // given an answer whose polling URL points elsewhere
    api.stubFor(post(urlPathEqualTo(SUBMIT)).willReturn(okJson(
        "{\"id\":\"t\",\"polling_url\":\"http://collector.invalid/v1/get_result?id=t\"}")));
    HttpTeacher teacher = teacher(fast());
    // when / then
    assertThatThrownBy(() -> teacher.generate(new TeacherRequest("a", "p", 1, 32, 32)))
        .isInstanceOf(TeacherException.class)
        .hasMessageContaining("not sending the API key there");
  }

  @Test
  void theApiKeyAppearsInNoLogLineExceptionOrDescription() throws Exception {
    // given logging at DEBUG, and failures whose bodies even echo the key back
    Logger logger = (Logger) LoggerFactory.getLogger("dev.urae.batch.teacher");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    Level previous = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    logger.addAppender(appender);
    List<String> texts = new ArrayList<>();
    try {
      HttpTeacher teacher = teacher(fast().optMaxAttempts(2));
      texts.add(teacher.toString());
      texts.add(teacher.config().toString());
      texts.add(teacher.fingerprint());
      // a throttled then successful item, to log a retry
      api.stubFor(post(urlPathEqualTo(SUBMIT)).inScenario("k").whenScenarioStateIs(STARTED)
          .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")).willSetStateTo("ok"));
      api.stubFor(post(urlPathEqualTo(SUBMIT)).inScenario("k").whenScenarioStateIs("ok")
          .willReturn(okJson(submitted("task-1"))).willSetStateTo("unauthorised"));
      stubPoll("task-1", ready("task-1", null));
      stubImage("task-1", TestImages.png(32, 32, Color.GREEN));
      texts.add(String.valueOf(teacher.generate(new TeacherRequest("a", "p", 1, 32, 32))));
      // a rejected key whose error body repeats it, and a server error echoing it
      api.stubFor(post(urlPathEqualTo(SUBMIT)).inScenario("k").whenScenarioStateIs("unauthorised")
          .willReturn(aResponse().withStatus(401).withBody("{\"detail\":\"invalid key " + KEY + "\"}"))
          .willSetStateTo("broken"));
      api.stubFor(post(urlPathEqualTo(SUBMIT)).inScenario("k").whenScenarioStateIs("broken")
          .willReturn(aResponse().withStatus(200).withBody("not json " + KEY)));
      for (String item : List.of("b", "c")) {
        try {
          teacher.generate(new TeacherRequest(item, "p", 1, 32, 32));
        } catch (TeacherException e) {
          for (Throwable t = e; t != null; t = t.getCause()) texts.add(t.toString());
        }
      }
    } finally {
      logger.detachAppender(appender);
      logger.setLevel(previous);
    }
    for (ILoggingEvent event : appender.list) {
      texts.add(event.getFormattedMessage());
      if (event.getThrowableProxy() != null) texts.add(event.getThrowableProxy().getMessage());
    }
    // then the key was sent, logged about, failed on, and never written out
    assertThat(appender.list).isNotEmpty();
    assertThat(texts).anyMatch(text -> text.contains("HTTP 401") && text.contains("BFL_API_KEY"));
    assertThat(texts).anyMatch(text -> text.contains("malformed JSON"));
    assertThat(texts).noneMatch(text -> text.contains(KEY));
    assertThat(texts).noneMatch(text -> text.contains("0123456789abcdef"));
  }

  @Test
  void aMissingKeyNamesTheVariableAndTheSetting() {
    // given
    HttpTeacherConfig config = HttpTeacherConfig.builder().optApiKeyEnv("MY_FLUX_KEY").build();
    // when / then
    assertThatThrownBy(() -> new HttpTeacher(config, Map.of("BFL_API_KEY", KEY)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("MY_FLUX_KEY")
        .hasMessageContaining("teacher.http.api-key-env");
  }

  @Test
  void badSettingsNameTheSetting() {
    assertThatThrownBy(() -> HttpTeacherConfig.builder().optMaxConcurrency(0).build())
        .hasMessageContaining("teacher.http.max-concurrency");
    assertThatThrownBy(() -> HttpTeacherConfig.builder().optBaseUri("ftp://host/").build())
        .hasMessageContaining("teacher.http.base-url");
    assertThatThrownBy(() -> HttpTeacherConfig.builder().optPollInterval(Duration.ZERO).build())
        .hasMessageContaining("teacher.http.poll-interval");
    assertThatThrownBy(() -> HttpTeacherConfig.builder().optApiKeyEnv("not a name").build())
        .hasMessageContaining("teacher.http.api-key-env");
  }

  @Test
  void anAspectRatioOutsideTheApiRangeIsRefusedWithoutACall() throws Exception {
    // when
    TeacherResult result = teacher(fast()).generate(new TeacherRequest("thin", "p", 1, 16, 160));
    // then
    assertThat(result).isInstanceOfSatisfying(Refusal.class,
        refusal -> assertThat(refusal.reason()).isEqualTo(Refusal.UNSUPPORTED_REQUEST));
    api.verify(0, postRequestedFor(urlPathEqualTo(SUBMIT)));
  }

  @Test
  void aspectRatiosAreReduced() {
    assertThat(HttpTeacher.aspectRatio(2048, 1152)).contains("16:9");
    assertThat(HttpTeacher.aspectRatio(1024, 1024)).contains("1:1");
    assertThat(HttpTeacher.aspectRatio(1344, 3136)).contains("3:7");
    assertThat(HttpTeacher.aspectRatio(2688, 1152)).contains("7:3");
    assertThat(HttpTeacher.aspectRatio(3200, 1024)).isEmpty();
  }

  private HttpTeacherConfig.Builder fast() {
    return HttpTeacherConfig.builder()
        .optBaseUri(api.baseUrl())
        .optPollInterval(Duration.ofMillis(10))
        .optInitialBackoff(Duration.ofMillis(10))
        .optMaxBackoff(Duration.ofMillis(40))
        .optTimeout(Duration.ofSeconds(20))
        .optRequestTimeout(Duration.ofSeconds(10));
  }

  private static HttpTeacher teacher(HttpTeacherConfig.Builder config) {
    return new HttpTeacher(config.build(), Map.of("BFL_API_KEY", KEY));
  }

  private static void stubSubmit(String taskId) {
    api.stubFor(post(urlPathEqualTo(SUBMIT)).willReturn(okJson(submitted(taskId))));
  }

  private static String submitted(String taskId) {
    return "{\"id\":\"" + taskId + "\",\"polling_url\":\"" + api.baseUrl() + POLL + "?id=" + taskId + "\"}";
  }

  private static void stubPoll(String taskId, String answer) {
    api.stubFor(get(urlPathEqualTo(POLL)).withQueryParam("id", equalTo(taskId)).willReturn(okJson(answer)));
  }

  private static String ready(String taskId, String caption) {
    return "{\"id\":\"" + taskId + "\",\"status\":\"Ready\",\"result\":{\"sample\":\"" + api.baseUrl()
        + "/delivery/" + taskId + ".png?sig=abc\"" + (caption == null ? "" : ",\"prompt\":\"" + caption + "\"")
        + "}}";
  }

  private static void stubImage(String taskId, byte[] bytes) {
    api.stubFor(get(urlPathEqualTo("/delivery/" + taskId + ".png")).willReturn(aResponse().withBody(bytes)));
  }
}
