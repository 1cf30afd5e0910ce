package dev.urae.batch.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageFitTest {

  @Test
  void downscalingAveragesFineDetailInsteadOfAliasing() {
    // given a one-pixel black and white checkerboard: its true average is mid grey
    BufferedImage checker = new BufferedImage(512, 512, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 512; y++) {
      for (int x = 0; x < 512; x++) checker.setRGB(x, y, (x + y) % 2 == 0 ? 0xffffff : 0x000000);
    }
    // when
    BufferedImage small = ImageFit.resize(checker, 32, 32);
    // then every pixel is near grey, not black or white as point sampling would give
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        int red = new Color(small.getRGB(x, y)).getRed();
        assertThat(red).as("pixel %d,%d", x, y).isBetween(100, 155);
      }
    }
  }

  @Test
  void fitWithinKeepsTheAspectAndNeverEnlarges() {
    assertThat(ImageFit.fitWithin(TestImages.solid(400, 100, Color.RED), 100).getWidth()).isEqualTo(100);
    assertThat(ImageFit.fitWithin(TestImages.solid(400, 100, Color.RED), 100).getHeight()).isEqualTo(25);
    assertThat(ImageFit.fitWithin(TestImages.solid(40, 10, Color.RED), 100).getWidth()).isEqualTo(40);
  }
}
