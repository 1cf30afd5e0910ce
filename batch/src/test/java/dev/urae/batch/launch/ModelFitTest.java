package dev.urae.batch.launch;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.urae.batch.manifest.ItemDefaults;
import dev.urae.batch.manifest.ManifestSnapshot;
import dev.urae.batch.manifest.ManifestSource;
import dev.urae.model.base.BaseModel;
import dev.urae.model.base.BaseModelProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFitTest {
  @TempDir Path dir;

  @Test
  void itemsOffTheModelsGridAreRefusedByManifestLine() throws IOException {
    // given a model on a 32-pixel grid (coarser than the manifest's own 16) and a manifest with one item off it
    Path manifest = Files.writeString(dir.resolve("prompts.jsonl"),
        "{\"prompt\":\"a\",\"id\":\"on\",\"width\":64,\"height\":64}\n{\"prompt\":\"b\",\"id\":\"off\",\"width\":48,\"height\":64}\n");
    try (ManifestSnapshot snapshot = ManifestSnapshot.take(ManifestSource.of(manifest.toString()))) {
      // then
      assertThatThrownBy(() -> ModelFit.check("m", model(32, true), Map.of(), new ItemDefaults(64, 64), List.of(snapshot)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("base model m cannot take this run (1 problem)")
          .hasMessageContaining(":2 (id off): 48x64 is not a multiple of 32 px");
    }
  }

  @Test
  void theDefaultSizeOffTheGridIsRefusedAndAGridThe16PixelRuleCoversNeedsNoScan() throws IOException {
    Path manifest = Files.writeString(dir.resolve("prompts.jsonl"), "{\"prompt\":\"a\",\"width\":48,\"height\":64}\n");
    try (ManifestSnapshot snapshot = ManifestSnapshot.take(ManifestSource.of(manifest.toString()))) {
      assertThatThrownBy(() -> ModelFit.check("m", model(32, true), Map.of(), new ItemDefaults(96, 80), List.of()))
          .hasMessageContaining("default size 96x80 (urae.width, urae.height) is not a multiple of 32 px");
      assertThatCode(() -> ModelFit.check("m", model(16, true), Map.of(), new ItemDefaults(96, 80), List.of(snapshot))).doesNotThrowAnyException();
    }
  }

  @Test
  void guidanceOptionsAreRefusedOnlyWhenTheModelTakesNoGuidance() {
    Map<String, String> set = Map.of("adapt.guidance", "1.0", "render.guidance", "auto");

    assertThatThrownBy(() -> ModelFit.check("m", model(16, false), set, new ItemDefaults(64, 64), List.of()))
        .hasMessageContaining("adapt.guidance (--train-guidance) is 1.0").hasMessageNotContaining("render.guidance");
    assertThatCode(() -> ModelFit.check("m", model(16, true), set, new ItemDefaults(64, 64), List.of())).doesNotThrowAnyException();
  }

  private static BaseModelProvider model(int grid, boolean guidance) {
    return new BaseModelProvider() {
      @Override
      public String name() {
        return "m";
      }

      @Override
      public String weightsDigest() {
        return "sha256:0";
      }

      @Override
      public int pixelGrid() {
        return grid;
      }

      @Override
      public boolean guidanceInput() {
        return guidance;
      }

      @Override
      public BaseModel load(NDManager manager, PrintStream progress) {
        throw new UnsupportedOperationException("facts only");
      }
    };
  }
}
