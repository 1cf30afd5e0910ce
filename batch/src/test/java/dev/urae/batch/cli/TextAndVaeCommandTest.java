package dev.urae.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.model.component.RandomComponent;
import dev.urae.model.image.PngImages;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.model.text.UraeCachedFeatures;
import dev.urae.model.text.clip.ClipTextConfig;
import dev.urae.model.text.t5.T5Config;
import dev.urae.model.text.tokenizer.MinimalTokenizers;
import dev.urae.model.vae.VaeConfig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code urae text encode} and {@code urae vae encode|decode} on a tiny random FLUX-layout checkpoint. */
class TextAndVaeCommandTest {
  @TempDir Path folder;
  Path model;

  @BeforeEach
  void tinyCheckpoint() throws Exception {
    model = folder.resolve("flux-tiny");
    RandomComponent.write(ClipTextConfig.TINY, model.resolve("text_encoder"), 1, DType.BF16);
    RandomComponent.write(T5Config.TINY, model.resolve("text_encoder_2"), 2, DType.BF16, 100_000);
    RandomComponent.write(VaeConfig.TINY, model.resolve("vae"), 3, DType.F32);
    MinimalTokenizers.writeClip(model.resolve("tokenizer"));
    MinimalTokenizers.writeT5(model.resolve("tokenizer_2"));
    Files.writeString(model.resolve("model_index.json"), """
        {"_class_name": "FluxPipeline",
         "text_encoder": ["transformers", "CLIPTextModel"], "tokenizer": ["transformers", "CLIPTokenizer"],
         "text_encoder_2": ["transformers", "T5EncoderModel"], "tokenizer_2": ["transformers", "T5TokenizerFast"],
         "vae": ["diffusers", "AutoencoderKL"]}
        """);
  }

  @Test
  void textEncodeWritesUraesCachedFeaturesAndFluxTextIds() throws Exception {
    // when two prompts are encoded
    Path fox = folder.resolve("fox.safetensors");
    Path cat = folder.resolve("cat.safetensors");
    int a = UraeMain.execute("text", "encode", "--model", model.toString(), "--prompt", "a red fox in snow", "--out", fox.toString(), "--t5-tokens", "16");
    int b = UraeMain.execute("text", "encode", "--model", model.toString(), "--prompt", "a cat", "--out", cat.toString(), "--t5-tokens", "16");

    // then the files hold the features under URAE's names, and different prompts differ
    assertThat(new int[] {a, b}).containsOnly(0);
    try (SafeTensorsFile f = SafeTensorsFile.open(fox); SafeTensorsFile c = SafeTensorsFile.open(cat)) {
      assertThat(f.entry(UraeCachedFeatures.T5).shape().getShape()).containsExactly(16, 32);
      assertThat(f.entry(UraeCachedFeatures.CLIP).shape().getShape()).containsExactly(32);
      assertThat(f.entry(UraeCachedFeatures.TEXT_IDS).shape().getShape()).containsExactly(16, 3);
      assertThat(f.floats(UraeCachedFeatures.TEXT_IDS)).containsOnly(0f);
      assertThat(f.metadata()).containsEntry("prompt", "a red fox in snow").containsEntry("t5_tokens", "16");
      assertThat(f.floats(UraeCachedFeatures.CLIP)).isNotEqualTo(c.floats(UraeCachedFeatures.CLIP));
      assertThat(f.floats(UraeCachedFeatures.T5)).isNotEqualTo(c.floats(UraeCachedFeatures.T5));
    }
  }

  @Test
  void vaeEncodeThenDecodeGivesAnImageOfTheSameSize() throws Exception {
    // given a 16×24 image
    Path image = folder.resolve("in.png");
    BufferedImage picture = new BufferedImage(24, 16, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 16; y++) for (int x = 0; x < 24; x++) picture.setRGB(x, y, (x * 10) << 16 | (y * 15) << 8 | 128);
    PngImages.write(image, picture, Map.of());
    Path latents = folder.resolve("latents.safetensors");
    Path decoded = folder.resolve("out.png");

    // when
    int encode = UraeMain.execute("vae", "encode", "--model", model.toString(), image.toString(), "--out", latents.toString());
    int decode = UraeMain.execute("vae", "decode", "--model", model.resolve("vae").toString(), latents.toString(), "--out", decoded.toString());

    // then
    assertThat(new int[] {encode, decode}).containsOnly(0);
    try (SafeTensorsFile f = SafeTensorsFile.open(latents)) {
      assertThat(f.entry("latents").shape().getShape()).containsExactly(1, 16, 8, 12);
      assertThat(f.entry("mean").shape()).isEqualTo(f.entry("std").shape()).isEqualTo(f.entry("latents").shape());
    }
    BufferedImage out = PngImages.read(decoded).image();
    assertThat(new int[] {out.getWidth(), out.getHeight()}).containsExactly(24, 16);
  }

  @Test
  void anImageOfTheWrongSizeIsOneClearError() throws Exception {
    // given a 15×16 image (the tiny VAE downsamples by 2)
    Path image = folder.resolve("odd.png");
    PngImages.write(image, new BufferedImage(15, 16, BufferedImage.TYPE_INT_RGB), Map.of());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream previous = System.err;

    // when
    int code;
    System.setErr(new PrintStream(err, true));
    try {
      code = UraeMain.execute("vae", "encode", "--model", model.toString(), image.toString(), "--out", folder.resolve("x.safetensors").toString());
    } finally {
      System.setErr(previous);
    }

    // then
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains(image.toString()).contains("15×16 is not a multiple of 2").contains("crop or resize");
  }
}
