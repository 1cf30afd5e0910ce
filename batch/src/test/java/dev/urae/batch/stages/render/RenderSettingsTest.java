package dev.urae.batch.stages.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.batch.stages.PipelineOptions;
import dev.urae.batch.stages.StageParams;
import dev.urae.batch.task.TaskSpec;
import dev.urae.model.flux.AttentionSettings;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RenderSettingsTest {
  private static final int NATIVE_TOKENS = 256;

  private static AttentionSettings attention(Map<String, String> user, String model, boolean interpolatesPositions) {
    StageParams params = new StageParams(new TaskSpec("r1", "render", "shard-00000", URI.create("file:///tmp/unused/"), List.of(),
        PipelineOptions.resolve(user, false)));
    return RenderSettings.from(params, model, 3.5, interpolatesPositions).sampling(294, NATIVE_TOKENS).attention();
  }

  @Test
  void autoInterpolatesPositionsWhereTheModelDoes() {
    // when
    AttentionSettings demo = attention(Map.of(), "demo", true);
    AttentionSettings flux = attention(Map.of(), "/models/flux-dev", false);

    // then the demo's 64x64 grid (32x32 tokens) spans its native 16x16 positions; FLUX.1 keeps URAE's NTK and scale alone
    assertThat(demo.positionScale(32, 32)).isEqualTo(0.5);
    assertThat(demo.proportionalAttention()).isFalse();
    assertThat(flux.positionScale(128, 128)).isEqualTo(1.0);
    assertThat(flux.ntkFactor()).isEqualTo(10.0);
    assertThat(flux.proportionalAttention()).isTrue();
  }

  @Test
  void anExplicitValueOverridesAuto() {
    // when
    AttentionSettings demo = attention(Map.of("render.position-interpolation", "false"), "demo", true);
    AttentionSettings flux = attention(Map.of("render.position-interpolation", "true"), "/models/flux-dev", false);

    // then
    assertThat(demo.positionScale(32, 32)).isEqualTo(1.0);
    assertThat(flux.positionScale(32, 32)).isEqualTo(0.5);
  }
}
