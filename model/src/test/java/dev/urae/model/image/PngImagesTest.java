package dev.urae.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngImagesTest {
  @TempDir Path dir;

  @Test
  void renderInfoRoundTripsThroughTextChunks() throws Exception {
    // given
    BufferedImage image = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
    image.setRGB(1, 2, 0x12ab34);
    RenderInfo info = new RenderInfo("a lighthouse at dusk, ñandú 灯台", 42, 28, 3.5, "demo", "sha256:0123abcd", "adapter.safetensors");
    Path file = dir.resolve("render.png");

    // when
    PngImages.write(file, image, info.toText());
    PngImages.PngImage read = PngImages.read(file);

    // then
    assertThat(read.text()).containsKeys("prompt", "seed", "steps", "guidance", "model", "weights", "adapter");
    assertThat(RenderInfo.fromText(read.text())).isEqualTo(info);
    assertThat(read.image().getRGB(1, 2) & 0xffffff).isEqualTo(0x12ab34);
    assertThat(read.image().getWidth()).isEqualTo(4);
  }

  @Test
  void latinTextUsesTextChunks() throws Exception {
    // when
    byte[] png = PngImages.encode(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), Map.of("prompt", "plain"));

    // then: the chunk type and keyword appear literally in the file
    String raw = new String(png, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(raw).contains("tEXtprompt\0plain");
  }

  @Test
  void missingChunkIsNamed() {
    assertThatThrownBy(() -> RenderInfo.fromText(Map.of("prompt", "x")))
        .hasMessage("PNG text chunk 'seed' is missing");
  }

  @Test
  void imageTensorRoundTripsPixels() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given
      BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
      image.setRGB(0, 0, 0xff0080);
      image.setRGB(1, 1, 0x00ff00);

      // when
      NDArray tensor = ImageTensors.toTensor(image, manager);
      BufferedImage back = ImageTensors.toImage(tensor);

      // then
      assertThat(tensor.getShape().getShape()).containsExactly(3, 2, 2);
      assertThat(tensor.toFloatArray()[0]).isEqualTo(1f);
      assertThat(tensor.toFloatArray()[4]).isEqualTo(-1f);
      assertThat(back.getRGB(0, 0) & 0xffffff).isEqualTo(0xff0080);
      assertThat(back.getRGB(1, 1) & 0xffffff).isEqualTo(0x00ff00);
    }
  }
}
