package dev.urae.infra.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class S3EventParserTest {
  @Test
  void readsS3NotificationsDecodingTheirKeys() throws Exception {
    // given
    String body = "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:CompleteMultipartUpload\","
        + "\"s3\":{\"bucket\":{\"name\":\"in\"},\"object\":{\"key\":\"manifests/my+prompts%2B2%3Av1.jsonl\",\"size\":42,"
        + "\"eTag\":\"abc\",\"versionId\":\"v7\",\"sequencer\":\"00A\"}}},"
        + "{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectRemoved:Delete\",\"s3\":{\"bucket\":{\"name\":\"in\"},\"object\":{\"key\":\"x\"}}}]}";

    // when
    S3Event event = S3EventParser.parse(body);

    // then
    assertThat(event.testEvent()).isFalse();
    assertThat(event.uploads()).containsExactly(new ManifestUpload("in", "manifests/my prompts+2:v1.jsonl", "v7", "abc", "00A", 42));
  }

  @Test
  void readsEventBridgeObjectCreatedEventsWhoseKeysAreNotEncoded() throws Exception {
    // given
    String body = "{\"version\":\"0\",\"detail-type\":\"Object Created\",\"source\":\"aws.s3\",\"detail\":{"
        + "\"bucket\":{\"name\":\"in\"},\"object\":{\"key\":\"manifests/a+b.jsonl\",\"size\":5,\"etag\":\"e1\","
        + "\"version-id\":\"v1\",\"sequencer\":\"01\"},\"reason\":\"PutObject\"}}";

    // when
    S3Event event = S3EventParser.parse(body);

    // then
    assertThat(event.uploads()).containsExactly(new ManifestUpload("in", "manifests/a+b.jsonl", "v1", "e1", "01", 5));
  }

  @Test
  void testEventsAndOtherEventTypesStartNothing() throws Exception {
    // then
    S3Event test = S3EventParser.parse("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"in\"}");
    assertThat(test.testEvent()).isTrue();
    assertThat(test.uploads()).isEmpty();
    assertThat(S3EventParser.parse("{\"source\":\"aws.s3\",\"detail-type\":\"Object Deleted\",\"detail\":{}}").uploads()).isEmpty();
  }

  @Test
  void snsEnvelopesAreOpened() throws Exception {
    // given
    String inner = "{\"source\":\"aws.s3\",\"detail-type\":\"Object Created\",\"detail\":{\"bucket\":{\"name\":\"in\"},\"object\":{\"key\":\"m.jsonl\"}}}";
    String body = "{\"Type\":\"Notification\",\"Message\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(inner) + "}";

    // then
    assertThat(S3EventParser.parse(body).uploads()).extracting(ManifestUpload::key).containsExactly("m.jsonl");
  }

  @Test
  void anythingElseIsUnreadable() {
    // then
    assertThatThrownBy(() -> S3EventParser.parse("hello")).isInstanceOf(UnreadableEventException.class).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> S3EventParser.parse("{\"a\":1}")).isInstanceOf(UnreadableEventException.class);
    assertThatThrownBy(() -> S3EventParser.parse("{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{}}]}"))
        .isInstanceOf(UnreadableEventException.class).hasMessageContaining("s3.bucket.name");
  }

  @Test
  void identityTellsVersionsApart() {
    // then
    assertThat(new ManifestUpload("b", "k", "v1", "e", null, 1).identity())
        .isNotEqualTo(new ManifestUpload("b", "k", "v2", "e", null, 1).identity());
    assertThat(new ManifestUpload("b", "k", null, "e", "s1", 1).identity())
        .isEqualTo(new ManifestUpload("b", "k", null, "e", "s2", 1).identity());
  }
}
