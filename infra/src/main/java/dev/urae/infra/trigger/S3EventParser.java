package dev.urae.infra.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the S3 event shapes an SQS queue can receive:
 *
 * <ul>
 *   <li>S3 event notifications ({@code {"Records":[{"eventSource":"aws:s3","eventName":
 *       "ObjectCreated:Put","s3":{...}}]}}); their keys are URL-encoded with {@code +} for space;
 *   <li>EventBridge events ({@code {"source":"aws.s3","detail-type":"Object Created","detail":
 *       {...}}}); their keys are not encoded;
 *   <li>{@code s3:TestEvent}, sent when a notification is configured: reported, never a run;
 *   <li>any of these wrapped in an SNS notification ({@code {"Type":"Notification","Message":"..."}}).
 * </ul>
 *
 * Events other than object creation yield no uploads. Anything else is unreadable.
 */
public final class S3EventParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  private S3EventParser() {}

  public static S3Event parse(String body) throws UnreadableEventException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new UnreadableEventException("not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) throw new UnreadableEventException("not a JSON object");
    if ("Notification".equals(root.path("Type").asText()) && root.path("Message").isTextual()) {
      return parse(root.path("Message").asText());
    }
    if ("s3:TestEvent".equals(root.path("Event").asText())) return new S3Event(List.of(), true);
    if (root.has("Records")) return notification(root.path("Records"));
    if ("aws.s3".equals(root.path("source").asText())) return eventBridge(root);
    throw new UnreadableEventException("neither an S3 notification nor an EventBridge S3 event");
  }

  private static S3Event notification(JsonNode records) throws UnreadableEventException {
    if (!records.isArray()) throw new UnreadableEventException("Records is not an array");
    List<ManifestUpload> uploads = new ArrayList<>();
    for (JsonNode record : records) {
      if (!"aws:s3".equals(record.path("eventSource").asText())) continue;
      if (!record.path("eventName").asText().startsWith("ObjectCreated:")) continue;
      JsonNode s3 = record.path("s3");
      String bucket = required(s3.path("bucket").path("name"), "s3.bucket.name");
      JsonNode object = s3.path("object");
      // Notification keys are form-encoded: '+' is a space, '%2B' a plus.
      String key = URLDecoder.decode(required(object.path("key"), "s3.object.key"), StandardCharsets.UTF_8);
      uploads.add(new ManifestUpload(bucket, key, text(object.path("versionId")), text(object.path("eTag")),
          text(object.path("sequencer")), object.path("size").asLong(-1)));
    }
    return new S3Event(uploads, false);
  }

  private static S3Event eventBridge(JsonNode root) throws UnreadableEventException {
    if (!"Object Created".equals(root.path("detail-type").asText())) return new S3Event(List.of(), false);
    JsonNode detail = root.path("detail");
    String bucket = required(detail.path("bucket").path("name"), "detail.bucket.name");
    JsonNode object = detail.path("object");
    String key = required(object.path("key"), "detail.object.key");
    return new S3Event(List.of(new ManifestUpload(bucket, key, text(object.path("version-id")),
        // AWS spells it `etag` in EventBridge events (and `eTag` in notifications).
        text(object.has("etag") ? object.path("etag") : object.path("eTag")), text(object.path("sequencer")), object.path("size").asLong(-1))), false);
  }

  private static String required(JsonNode node, String field) throws UnreadableEventException {
    if (!node.isTextual() || node.asText().isBlank()) throw new UnreadableEventException("missing " + field);
    return node.asText();
  }

  private static String text(JsonNode node) {
    return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
  }
}
