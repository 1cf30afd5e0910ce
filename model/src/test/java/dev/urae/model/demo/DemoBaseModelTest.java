package dev.urae.model.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoBaseModelTest {
  @TempDir Path cache;

  @Test
  void theShippedBaseModelLoadsWithoutPretrainingAndRendersDeterministically() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given an empty cache: the weights must come from the class path
      PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
      try (DemoBaseModel model = DemoBaseModel.loadDefault(cache, manager, quiet)) {
        // when
        DemoImage a = model.render("a small red circle at the center on a white background", 8, 3);
        DemoImage b = model.render("a small red circle at the center on a white background", 8, 3);

        // then
        assertThat(cache.toFile().list()).isEmpty();
        assertThat(model.transformer().config().name()).isEqualTo("demo");
        assertThat(a.width()).isEqualTo(8);
        assertThat(a.rgb()).containsExactly(b.rgb());
      }
    }
  }

  @Test
  void theDemoModelInterpolatesPositionsAboveItsNativeResolution() {
    try (NDManager manager = NDManager.newBaseManager(); DemoBaseModel model = DemoBaseModel.initial(1, manager)) {
      // when
      var attention = model.transformer().attentionSettings();

      // then 64x64 pixels (a 32x32 token grid) span the 16x16 positions of its native 32x32, which keep theirs
      assertThat(attention.positionScale(32, 32)).isEqualTo(0.5);
      assertThat(attention.positionScale(16, 16)).isEqualTo(1.0);
    }
  }

  @Test
  void theDemoWorldAsABaseModelInterpolatesPositionsOntoItsNativeGrid() throws Exception {
    try (NDManager manager = NDManager.newBaseManager();
        dev.urae.model.base.BaseModel model = dev.urae.model.base.BaseModels.load("demo", manager, new PrintStream(java.io.OutputStream.nullOutputStream()))) {
      // then runs at auto interpolate, onto the 16x16 tokens of its native 32x32
      assertThat(model.interpolatesPositions()).isTrue();
      assertThat(model.nativeImageTokens()).isEqualTo(DemoWorld.NATIVE_IMAGE_TOKENS).isEqualTo(256);
    }
  }
}
