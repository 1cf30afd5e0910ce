package dev.urae.batch.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.urae.batch.manifest.ManifestItem;
import dev.urae.batch.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shard file format: one JSON object per accepted item with every default resolved, in the
 * manifest's field names ({@code generated_prompt}) plus the source {@code line}.
 */
public final class ManifestItems {
  private ManifestItems() {}

  static void write(JsonGenerator json, ManifestItem item) throws IOException {
    json.writeStartObject();
    json.writeNumberField("line", item.line());
    json.writeStringField("id", item.id());
    json.writeStringField("prompt", item.prompt());
    if (item.generatedPrompt() != null) json.writeStringField("generated_prompt", item.generatedPrompt());
    json.writeNumberField("seed", item.seed());
    json.writeNumberField("width", item.width());
    json.writeNumberField("height", item.height());
    if (!item.tags().isEmpty()) {
      json.writeObjectFieldStart("tags");
      for (Map.Entry<String, String> tag : item.tags().entrySet()) json.writeStringField(tag.getKey(), tag.getValue());
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  /** Reads a shard written by ingest. */
  public static List<ManifestItem> readShard(InputStream in) throws IOException {
    List<ManifestItem> items = new ArrayList<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    for (String line; (line = reader.readLine()) != null; ) {
      if (line.isBlank()) continue;
      JsonNode node = Json.MAPPER.readTree(line);
      Map<String, String> tags = new LinkedHashMap<>();
      node.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
      items.add(new ManifestItem(
          node.path("line").asLong(),
          node.path("id").asText(),
          node.path("prompt").asText(),
          node.hasNonNull("generated_prompt") ? node.get("generated_prompt").asText() : null,
          node.path("seed").asLong(),
          node.path("width").asInt(),
          node.path("height").asInt(),
          tags));
    }
    return items;
  }
}
