package dev.urae.batch.stages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.urae.batch.json.Json;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

class RenderMetricsTest {
  private static final RenderMetrics METRICS = new RenderMetrics(
      new RenderMetrics.Score(1.0, 0.01, 0.02, 0.9, 40.5),
      new RenderMetrics.Score(0.5, 0.2, 0.1, Double.NaN, 18.25),
      new RenderMetrics.Score(0.75, 0.1, 0.05, 0.4, 22.0));

  @Test
  void whatRenderWritesReportReadsBackUnchanged() throws Exception {
    // given the scores of one item's three renderings, one without texture
    // when written and read back
    RenderMetrics read = RenderMetrics.read(new ByteArrayInputStream(METRICS.toJson()));

    // then every value is the same, the missing texture detail included
    assertThat(read).isEqualTo(METRICS);
    assertThat(read.of(RenderMetrics.BASE).textureDetail()).isNaN();
    assertThat(read.of(RenderMetrics.ADAPTED).values()).containsExactly(0.75, 0.1, 0.05, 0.4, 22.0);
  }

  @Test
  void eachRenderingIsAnObjectOfTheScoreNamesWithAMissingTextureAsNull() throws Exception {
    // when written
    JsonNode json = Json.MAPPER.readTree(METRICS.toJson());

    // then the file has one object per rendering, keyed by the names the report shows
    assertThat(json.fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(RenderMetrics.MODELS);
    for (String rendering : RenderMetrics.MODELS) {
      assertThat(json.get(rendering).fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(RenderMetrics.NAMES);
    }
    assertThat(json.get(RenderMetrics.BASE).get("texture_detail").isNull()).isTrue();
    assertThat(json.get(RenderMetrics.BASE_NATIVE).get("object_colour_error").asDouble()).isEqualTo(0.01);
  }
}
