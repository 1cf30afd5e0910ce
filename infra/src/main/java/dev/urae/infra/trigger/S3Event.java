package dev.urae.infra.trigger;

import java.util.List;

/**
 * What one queue message says.
 *
 * @param uploads   objects created (empty for a test event or other event types)
 * @param testEvent true for the {@code s3:TestEvent} S3 sends when notifications are configured
 */
public record S3Event(List<ManifestUpload> uploads, boolean testEvent) {
  public S3Event {
    uploads = List.copyOf(uploads);
  }
}
