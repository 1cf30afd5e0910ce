package dev.urae.batch.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.urae.batch.task.TaskSpec;
import dev.urae.model.base.BaseModel;
import dev.urae.model.base.Renderer;
import dev.urae.model.flow.TimeShift;
import dev.urae.model.flux.AttentionSettings;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.pipeline.FluxCheckpointInit;
import dev.urae.model.tensors.DType;
import dev.urae.model.vae.AutoencoderKl;
import dev.urae.model.vae.VaeTiling;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vae.tile} reaches the VAE of the model a stage loads, and a bad value is refused at launch naming it. */
class VaeTileOptionTest {
  @TempDir static Path dir;
  private static final Renderer.Settings SETTINGS = new Renderer.Settings(2, 3.5, n -> TimeShift.fixed(3.0), AttentionSettings.DEFAULT);

  @BeforeAll
  static void tinyCheckpoint() throws Exception {
    new FluxCheckpointInit(dir.resolve("tiny"), FluxCheckpointInit.Weights.RANDOM, 7, DType.F32, FluxCheckpointInit.DEFAULT_MAX_SHARD_BYTES)
        .write(FluxPresets.TINY);
  }

  private static StageParams params(Map<String, String> options) {
    return new StageParams(new TaskSpec("run1", "render", "shard-00000", dir.toUri(), List.of(), options));
  }

  private static int[] pixels(Renderer.Image image) {
    BufferedImage b = image.toBufferedImage();
    return b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth());
  }

  @Test
  void aStagesModelRendersWithTheOptionsTilingAsTheRendererWithThatTilingSetDirectly() throws Exception {
    // given the tiny FLUX model (VAE downsampling 2) and 128 px renders over 64-pixel tiles: 3×3 tiles
    String model = dir.resolve("tiny").toString();
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    try (NDManager manager = NDManager.newBaseManager()) {
      int[] viaOption;
      try (BaseModel base = BaseModels.load(params(Map.of(PipelineOptions.MODEL, model, PipelineOptions.VAE_TILE, "64/16")), manager)) {
        // then the option reached the VAE
        assertThat(((AutoencoderKl) base.latentCodec()).tiling()).isEqualTo(new VaeTiling(64, 16));
        viaOption = pixels(base.renderer(SETTINGS).render("a red circle", 128, 128, 3));
      }
      int[] direct;
      int[] untiled;
      try (BaseModel base = dev.urae.model.base.BaseModels.load(model, manager, quiet)) {
        AutoencoderKl vae = (AutoencoderKl) base.latentCodec();
        vae.setTiling(new VaeTiling(64, 16));
        direct = pixels(base.renderer(SETTINGS).render("a red circle", 128, 128, 3));
        vae.setTiling(VaeTiling.OFF);
        untiled = pixels(base.renderer(SETTINGS).render("a red circle", 128, 128, 3));
      }

      // then: the same image as tiling set by hand, and not the untiled one (so the tiles did something)
      assertThat(viaOption).isEqualTo(direct);
      assertThat(viaOption).isNotEqualTo(untiled);
    }
  }

  @Test
  void theDefaultIsFluxsNativeTileWithAQuarterOverlap() throws Exception {
    try (NDManager manager = NDManager.newBaseManager();
        BaseModel base = BaseModels.load(params(Map.of(PipelineOptions.MODEL, dir.resolve("tiny").toString())), manager)) {
      assertThat(((AutoencoderKl) base.latentCodec()).tiling()).isEqualTo(VaeTiling.DEFAULT).hasToString("1024/256");
    }
  }

  @Test
  void aBadTilingIsRefusedAtLaunchNamingTheOption() {
    for (String bad : List.of("big", "1024/600", "100/20", "-8", "32/8")) {
      assertThatThrownBy(() -> PipelineOptions.resolve(Map.of(PipelineOptions.VAE_TILE, bad), false))
          .as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("pipeline option vae.tile (urae.pipeline.vae.tile) is '" + bad + "'");
    }
    assertThat(PipelineOptions.resolve(Map.of(PipelineOptions.VAE_TILE, "off"), false)).containsEntry(PipelineOptions.VAE_TILE, "off");
  }
}
