package dev.urae.batch.stages.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.batch.manifest.ManifestItem;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeSizeTest {
  @Test
  void theNativeRenderKeepsTheAspectOnTheModelsGrid() {
    // given a 2048x1152 item and FLUX.1 (native 1024, 16-px grid)
    ManifestItem item = new ManifestItem(1, "a", "p", null, 0, 2048, 1152, Map.of());

    // when
    int[] size = RenderHandler.nativeSize(item, 1024, 16);

    // then: 1365x768 scaled to 1024² of area, each side rounded to a multiple of 16
    assertThat(size).containsExactly(1360, 768);
  }

  @Test
  void aSideNeverFallsBelowOneGridStep() {
    assertThat(RenderHandler.nativeSize(new ManifestItem(1, "a", "p", null, 0, 8192, 16, Map.of()), 64, 4)).containsExactly(1448, 4);
  }
}
