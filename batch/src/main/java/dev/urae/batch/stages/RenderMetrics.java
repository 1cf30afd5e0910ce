package dev.urae.batch.stages;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.urae.batch.json.Json;
import dev.urae.model.base.ImageScore;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * One demo-grammar item's render scores ({@code render/<id>.metrics.json}): written by the render
 * stage ({@link #toJson}), read by the report stage ({@link #read}), which averages them.
 *
 * @param baseNative the base model at its native resolution: what it is good at, the reference for the others
 * @param base       the base model at the item's (target) resolution: the failure adaptation should fix
 * @param adapted    the adapted model at the item's resolution
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RenderMetrics(Score baseNative, Score base, Score adapted) {
  /** The score names, in the order the report shows them (and of {@link Score#values}). */
  public static final List<String> NAMES = List.of(
      "fidelity", "object_colour_error", "background_colour_error", "texture_detail", "psnr");
  /** Whether a larger value of each score is better, in the order of {@link #NAMES}. */
  public static final List<Boolean> HIGHER_IS_BETTER = List.of(true, false, false, true, true);
  public static final String BASE_NATIVE = "base_native";
  public static final String BASE = "base";
  public static final String ADAPTED = "adapted";
  /** The renderings scored, in the order the report shows them. */
  public static final List<String> MODELS = List.of(BASE_NATIVE, BASE, ADAPTED);

  public RenderMetrics {
    Objects.requireNonNull(baseNative, "baseNative");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(adapted, "adapted");
  }

  /** The score of one rendering named in {@link #MODELS}. */
  public Score of(String rendering) {
    return switch (rendering) {
      case BASE_NATIVE -> baseNative;
      case BASE -> base;
      case ADAPTED -> adapted;
      default -> throw new IllegalArgumentException("no rendering named " + rendering + "; known: " + MODELS);
    };
  }

  public byte[] toJson() throws IOException {
    return Json.MAPPER.writeValueAsBytes(this);
  }

  public static RenderMetrics read(InputStream in) throws IOException {
    return Json.MAPPER.readValue(in, RenderMetrics.class);
  }

  /**
   * One rendering's scores (see {@link ImageScore}); texture detail is NaN for scenes without
   * textured objects, stored as {@code null}.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Score(double fidelity, double objectColourError, double backgroundColourError,
      @JsonSerialize(using = NanAsNull.class) @JsonDeserialize(using = NullAsNan.class) double textureDetail,
      double psnr) {

    public static Score of(ImageScore score) {
      return new Score(score.fidelity(), score.objectColourError(), score.backgroundColourError(),
          score.textureDetail(), score.psnr());
    }

    /** The scores in the order of {@link #NAMES}. */
    public List<Double> values() {
      return List.of(fidelity, objectColourError, backgroundColourError, textureDetail, psnr);
    }
  }

  /** JSON has no NaN: a score that does not apply is written as {@code null}. */
  static final class NanAsNull extends JsonSerializer<Double> {
    @Override
    public void serialize(Double value, JsonGenerator out, SerializerProvider provider) throws IOException {
      if (value.isNaN()) out.writeNull();
      else out.writeNumber(value);
    }
  }

  /** ... and read back as NaN. */
  static final class NullAsNan extends JsonDeserializer<Double> {
    @Override
    public Double deserialize(JsonParser in, DeserializationContext context) throws IOException {
      return in.getDoubleValue();
    }

    @Override
    public Double getNullValue(DeserializationContext context) {
      return Double.NaN;
    }
  }
}
