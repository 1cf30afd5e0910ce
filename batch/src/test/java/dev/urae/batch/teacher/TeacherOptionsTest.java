package dev.urae.batch.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeacherOptionsTest {

  @Test
  void httpSettingsReadFromOptionsWithShortAndIsoDurations() {
    // given
    Map<String, String> options = Map.of(
        "teacher.kind", "http",
        "teacher.http.base-url", "http://localhost:8089",
        "teacher.http.poll-interval", "250ms",
        "teacher.http.timeout", "15m",
        "teacher.http.max-backoff", "PT90S",
        "teacher.http.max-concurrency", "8",
        "teacher.http.raw", "true");
    // when
    HttpTeacherConfig config = HttpTeacherConfig.fromOptions(options);
    // then
    assertThat(config.submitUri().toString()).isEqualTo("http://localhost:8089/v1/flux-pro-1.1-ultra");
    assertThat(config.pollInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.timeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(config.maxBackoff()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.maxConcurrency()).isEqualTo(8);
    assertThat(config.raw()).isTrue();
    assertThat(config.apiKeyEnv()).isEqualTo(HttpTeacherConfig.DEFAULT_API_KEY_ENV);
  }

  @Test
  void httpSettingsRoundTripThroughOptions() {
    // given
    HttpTeacherConfig config = HttpTeacherConfig.builder().optRaw(true).optMaxAttempts(3)
        .optPollInterval(Duration.ofMillis(700)).optApiKeyEnv("FLUX_KEY").build();
    // when
    HttpTeacherConfig again = HttpTeacherConfig.fromOptions(config.toOptions());
    // then
    assertThat(again.toOptions()).isEqualTo(config.toOptions());
    assertThat(again.toString()).isEqualTo(config.toString());
  }

  @Test
  void aMistypedOrMalformedSettingIsNamed() {
    assertThatThrownBy(() -> HttpTeacherConfig.fromOptions(Map.of("teacher.http.poll-intervall", "1s")))
        .hasMessageContaining("unknown setting teacher.http.poll-intervall")
        .hasMessageContaining("teacher.http.poll-interval");
    assertThatThrownBy(() -> HttpTeacherConfig.fromOptions(Map.of("teacher.http.timeout", "soon")))
        .hasMessageContaining("teacher.http.timeout must be a duration");
    assertThatThrownBy(() -> HttpTeacherConfig.fromOptions(Map.of("teacher.http.raw", "yes")))
        .hasMessageContaining("teacher.http.raw must be true or false");
  }

  @Test
  void datasetTeacherFromOptions(@TempDir Path dir) throws Exception {
    // given
    Files.write(dir.resolve("a.png"), TestImages.png(200, 100, Color.RED));
    Files.writeString(dir.resolve("a.txt"), "red");
    // when
    DatasetTeacher teacher = DatasetTeacher.fromOptions(Map.of(
        "teacher.dataset.location", dir.toString(), "teacher.dataset.buckets", "false"));
    // then
    TeacherImage image = (TeacherImage) teacher.generate(new TeacherRequest("i", "p", 1, 64, 64));
    assertThat(image.width()).isEqualTo(64);
    assertThat(image.height()).isEqualTo(64);
    assertThatThrownBy(() -> DatasetTeacher.fromOptions(Map.of()))
        .hasMessageContaining("teacher.dataset.location");
  }
}
