package dev.urae.infra.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectLocationTest {
  @ParameterizedTest
  @ValueSource(strings = {"in/night 100% #1 café.jsonl", "in/a+b%20c.jsonl", "in/日本語.jsonl", "in/x?versionId=1.jsonl"})
  void anS3KeyIsTakenLiterallyAndQuotedOnlyInItsUri(String key) {
    // when
    ObjectLocation location = ObjectLocation.parse("s3://my-bucket/" + key);

    // then
    assertThat(location.storeRoot()).isEqualTo(URI.create("s3://my-bucket/"));
    assertThat(location.key()).isEqualTo(key);
    assertThat(location.toString()).isEqualTo("s3://my-bucket/" + key);
    assertThat(location.uri().getPath()).isEqualTo("/" + key);
  }

  @Test
  void aLocalFileWithSpacesAndHashesResolvesToItself(@TempDir Path dir) throws Exception {
    // given
    Path file = Files.writeString(dir.resolve("night 100% #1.jsonl"), "{}\n");

    // when
    ObjectLocation location = ObjectLocation.parse(file.toString());

    // then
    assertThat(location.key()).isEqualTo("night 100% #1.jsonl");
    assertThat(Path.of(location.uri())).isEqualTo(file);
  }

  @Test
  void anS3UriWithoutAKeyIsRefusedNamingWhatWasExpected() {
    assertThatThrownBy(() -> ObjectLocation.parse("s3://my-bucket/"))
        .hasMessageContaining("expected s3://bucket/key");
    assertThatThrownBy(() -> ObjectLocation.parse("s3://my-bucket"))
        .hasMessageContaining("expected s3://bucket/key");
  }
}
