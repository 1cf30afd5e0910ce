package dev.urae.batch.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineOptionsTest {

  @Test
  void userValuesOverrideTheQuickProfileWhichOverridesDefaults() {
    Map<String, String> options = PipelineOptions.resolve(Map.of("adapt.steps", "7"), true);
    assertThat(options).containsEntry("adapt.steps", "7").containsEntry("render.steps", "8")
        .containsEntry("adapt.guidance", "1.0").containsEntry("adapt.kind", "lora");
  }

  @Test
  void unknownOptionsAreRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> PipelineOptions.resolve(Map.of("adapt.stpes", "7"), false))
        .hasMessageContaining("unknown pipeline option 'adapt.stpes'").hasMessageContaining("adapt.steps");
  }

  @Test
  void teacherSpecificOptionsPassThroughToTheTeachers() {
    assertThat(PipelineOptions.resolve(Map.of("teacher.http.base-url", "http://127.0.0.1:1/"), false))
        .containsEntry("teacher.http.base-url", "http://127.0.0.1:1/");
  }

  @Test
  void aYesOrNoOptionWithAnotherValueIsRefusedAtLaunchNamingIt() {
    assertThatThrownBy(() -> PipelineOptions.resolve(Map.of("render.position-interpolation", "yes"), false))
        .hasMessageContaining("render.position-interpolation").hasMessageContaining("'yes'").hasMessageContaining("auto, true, false");
    assertThatThrownBy(() -> PipelineOptions.resolve(Map.of("adapt.proportional-attention", "auto"), false))
        .hasMessageContaining("adapt.proportional-attention").hasMessageContaining("use true, false");
    assertThat(PipelineOptions.resolve(Map.of("adapt.position-interpolation", " false "), false))
        .containsEntry("adapt.position-interpolation", " false ");
  }

  @Test
  void aPrecisionOtherThanAutoBf16OrFp32IsRefusedAtLaunchNamingTheOption() {
    assertThatThrownBy(() -> PipelineOptions.resolve(Map.of("render.precision", "fp16"), false))
        .hasMessageContaining("pipeline option render.precision (urae.pipeline.render.precision)").hasMessageContaining("'fp16'");
    assertThat(PipelineOptions.resolve(Map.of("render.precision", "bf16", "adapt.precision", "fp32"), false))
        .containsEntry("render.precision", "bf16").containsEntry("adapt.precision", "fp32");
  }
}
