package dev.urae.model.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import org.junit.jupiter.api.Test;

class PositionInterpolationTest {
  private static final int[] AXES = FluxPresets.DEMO.axesDimsRope();
  private static final int TEXT = 3;
  @Test
  void aGridTwiceTheNativeSideSpansTheNativePositions() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given a native 4x4 grid and interpolation onto its 16 tokens
      AttentionSettings settings = AttentionSettings.DEFAULT.withPositionInterpolation(true, 16);
      RotaryEmbedding nativeGrid = RotaryEmbedding.create(manager, AXES, 36, TEXT, 4, 4);

      // when an 8x8 grid is laid out with the scale the settings give it
      double scale = settings.positionScale(8, 8);
      RotaryEmbedding doubled = RotaryEmbedding.create(manager, AXES, 36, TEXT, 8, 8, scale);

      // then token (2r, 2c) of the large grid turns exactly as token (r, c) of the native one, and text stays at 0
      assertThat(scale).isEqualTo(0.5);
      for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 4; c++) {
          assertThat(row(doubled.cos(), TEXT + 2 * r * 8 + 2 * c)).containsExactly(row(nativeGrid.cos(), TEXT + r * 4 + c));
          assertThat(row(doubled.sinSigned(), TEXT + 2 * r * 8 + 2 * c)).containsExactly(row(nativeGrid.sinSigned(), TEXT + r * 4 + c));
        }
      }
      assertThat(row(doubled.cos(), 0)).containsExactly(row(nativeGrid.cos(), 0));
    }
  }

  @Test
  void gridsUpToTheNativeSizeKeepTheirPositions() {
    // given
    AttentionSettings settings = AttentionSettings.DEFAULT.withPositionInterpolation(true, 256);

    // then
    assertThat(settings.positionScale(16, 16)).isEqualTo(1.0);
    assertThat(settings.positionScale(8, 16)).isEqualTo(1.0);
    assertThat(settings.positionScale(32, 32)).isEqualTo(0.5);
    assertThat(settings.positionScale(16, 64)).isEqualTo(0.5);
    assertThat(AttentionSettings.DEFAULT.positionScale(32, 32)).isEqualTo(1.0);
  }

  @Test
  void interpolationWithoutTheNativeSizeIsRefused() {
    assertThatThrownBy(() -> AttentionSettings.DEFAULT.withPositionInterpolation(true, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("native resolution");
    try (NDManager manager = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> RotaryEmbedding.create(manager, AXES, 36, TEXT, 4, 4, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("positionScale");
    }
  }

  private static float[] row(NDArray table, int token) {
    return table.get(new NDIndex(token)).toFloatArray();
  }
}
