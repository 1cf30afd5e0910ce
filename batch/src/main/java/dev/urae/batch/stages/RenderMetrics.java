package dev.urae.batch.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.batch.json.Json;
import dev.urae.model.base.ImageScore;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The scores of one item's renders against its exact image, for the base model and the adapted
 * one: written by the render stage ({@code render/<id>.metrics.json}, {@link #toJson}) and read by
 * the report stage ({@link #read}), which averages them. Texture detail is {@code null} in the
 * file (NaN here) for scenes without textured objects.
 */
public record RenderMetrics(ImageScore base, ImageScore adapted) {
  /** The score names, in the order the report shows them. */
  public static final List<String> NAMES = List.of(
      "fidelity", "object_colour_error", "background_colour_error", "texture_detail", "psnr");

  public byte[] toJson() throws IOException {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.set("base", toJson(base));
    json.set("adapted", toJson(adapted));
    return Json.MAPPER.writeValueAsBytes(json);
  }

  public static RenderMetrics read(InputStream in) throws IOException {
    JsonNode json = Json.MAPPER.readTree(in);
    return new RenderMetrics(score(json.path("base")), score(json.path("adapted")));
  }

  /** The score named {@code name} (one of {@link #NAMES}); NaN when the render has none. */
  public static double value(ImageScore score, String name) {
    return switch (name) {
      case "fidelity" -> score.fidelity();
      case "object_colour_error" -> score.objectColourError();
      case "background_colour_error" -> score.backgroundColourError();
      case "texture_detail" -> score.textureDetail();
      case "psnr" -> score.psnr();
      default -> throw new IllegalArgumentException("no render metric " + name);
    };
  }

  private static ObjectNode toJson(ImageScore score) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    for (String name : NAMES) {
      double value = value(score, name);
      if (Double.isNaN(value)) json.putNull(name);
      else json.put(name, value);
    }
    return json;
  }

  private static ImageScore score(JsonNode json) {
    double[] v = NAMES.stream().mapToDouble(name -> json.path(name).isNumber() ? json.path(name).asDouble() : Double.NaN).toArray();
    return new ImageScore(v[0], v[1], v[2], v[3], v[4]);
  }
}
