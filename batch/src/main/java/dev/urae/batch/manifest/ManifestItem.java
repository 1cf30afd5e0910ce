package dev.urae.batch.manifest;

import java.util.Map;
import java.util.Objects;

/**
 * One accepted manifest line with every default resolved, so that workers never re-derive
 * anything: {@code id}, {@code seed}, {@code width} and {@code height} are always set.
 *
 * @param line            1-based line number in the manifest it came from
 * @param generatedPrompt the detailed caption URAE's {@code real_prompt_ratio} draws on, or null
 */
public record ManifestItem(
    long line,
    String id,
    String prompt,
    String generatedPrompt,
    long seed,
    int width,
    int height,
    Map<String, String> tags) {

  public ManifestItem {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(prompt, "prompt == null");
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }
}
