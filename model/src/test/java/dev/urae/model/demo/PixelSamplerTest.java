package dev.urae.model.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.ndarray.NDManager;
import dev.urae.model.flow.TimeShift;
import dev.urae.model.flux.AttentionSettings;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PixelSamplerTest {

  @Test
  void upsamplingKeepsFlatColoursAndInterpolatesBetweenPixels() {
    // given a 2x1 image: black on the left, white on the right, in every channel
    float[] rgb = {0, 1, 0, 1, 0, 1};
    DemoImage image = new DemoImage(2, 1, rgb);

    // when
    DemoImage wide = PixelSampler.upsample(image, 8, 2);

    // then the edges keep their colours and the middle is a ramp between them
    assertThat(wide.get(0, 0, 0)).isEqualTo(0f);
    assertThat(wide.get(0, 7, 1)).isEqualTo(1f);
    assertThat(wide.get(1, 3, 0)).isCloseTo(0.375f, offset(1e-6f));
    assertThat(wide.get(2, 4, 1)).isCloseTo(0.625f, offset(1e-6f));
  }

  @Test
  void refiningStartsFromTheCoarseImageAndRendersAtTheTargetSize() {
    try (NDManager manager = NDManager.newBaseManager(); DemoBaseModel model = DemoBaseModel.initial(4, manager)) {
      // given a sampler with a fixed shift and a coarse 4x4 render
      PixelSampler sampler = new PixelSampler(model.transformer(), model.textEncoder(),
          new PixelSampler.Settings(4, 1.0, tokens -> TimeShift.fixed(3.0), AttentionSettings.DEFAULT));
      String prompt = "a small red circle at the center on a white background";
      DemoImage coarse = sampler.render(prompt, 4, 4, 7);

      // when
      DemoImage refined = sampler.refine(coarse, 0.3, prompt, 8, 8, 7);
      DemoImage again = sampler.refine(coarse, 0.3, prompt, 8, 8, 7);
      DemoImage fromNoise = sampler.render(prompt, 8, 8, 7);

      // then: the target size, deterministic, and not the same as sampling from noise
      assertThat(refined.width()).isEqualTo(8);
      assertThat(refined.height()).isEqualTo(8);
      assertThat(refined.rgb()).containsExactly(again.rgb());
      assertThat(Arrays.equals(refined.rgb(), fromNoise.rgb())).isFalse();
    }
  }

  @Test
  void refusesOddSizesAndSigmasOutsideTheOpenInterval() {
    try (NDManager manager = NDManager.newBaseManager(); DemoBaseModel model = DemoBaseModel.initial(4, manager)) {
      // given
      PixelSampler sampler = new PixelSampler(model.transformer(), model.textEncoder(),
          new PixelSampler.Settings(2, 1.0, TimeShift::dynamic, AttentionSettings.DEFAULT));
      DemoImage coarse = new DemoImage(2, 2, new float[12]);

      // when / then
      assertThatThrownBy(() -> sampler.render("a red circle", 7, 8, 1)).hasMessageContaining("must be even");
      assertThatThrownBy(() -> sampler.refine(coarse, 1.0, "a red circle", 8, 8, 1)).hasMessageContaining("sigma must be between 0 and 1");
    }
  }
}
