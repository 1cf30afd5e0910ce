package dev.urae.infra.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class S3RootTest {
  @Test
  void parsesBucketAndPrefix() {
    // then
    assertThat(S3Root.parse(URI.create("s3://in/urae"))).isEqualTo(new S3Root("in", "urae/"));
    assertThat(S3Root.parse(URI.create("s3://in/"))).isEqualTo(new S3Root("in", ""));
    assertThat(new S3Root("in", "urae/").s3Key("runs/x")).isEqualTo("urae/runs/x");
    assertThatThrownBy(() -> S3Root.parse(URI.create("file:///x/"))).hasMessageContaining("expected s3://bucket/prefix/");
  }

  @Test
  void onlyAWholeObjectSha256IsTrusted() {
    // then
    assertThat(S3ObjectStore.fullObjectSha256("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(S3ObjectStore.fullObjectSha256("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=-3")).isNull();
    assertThat(S3ObjectStore.fullObjectSha256(null)).isNull();
  }
}
