package dev.urae.model.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.Approx;
import dev.urae.model.flow.SeededRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The tiling machinery on its own, with maps whose output at a cell depends on that cell alone:
 * tiled and whole must then agree to float rounding, which checks where tiles are cut and put
 * back and that the blend weights sum to one everywhere, on sides that are not a whole number of
 * tile steps.
 */
class TiledPassTest {
  static final int F = 8;

  @Test
  void blendWeightsSumToOneAndRampLinearlyAcrossARegularOverlap() {
    // given 29 cells in tiles of 8 overlapping by 2: origins 0, 6, 12, 18 and the last moved back to 21
    TileAxis axis = TileAxis.of(29, 8, 2);
    assertThat(axis.count()).isEqualTo(5);
    assertThat(axis.origin(4)).isEqualTo(21);

    // when
    double[] sum = new double[29 * F];
    for (int i = 0; i < axis.count(); i++) {
      float[] w = axis.weights(i, F);
      for (int p = 0; p < w.length; p++) sum[axis.origin(i) * F + p] += w[p];
    }

    // then
    for (double s : sum) assertThat(s).isCloseTo(1.0, within(1e-6));
    float[] second = axis.weights(1, F);
    for (int p = 0; p < 2 * F; p++) assertThat(second[p]).isCloseTo((p + 1f) / (2 * F + 1), within(1e-6f));
    assertThat(second[2 * F]).isEqualTo(1f);
  }

  @Test
  void anImageThatFitsOneTileRunsWhole() {
    assertThat(TileAxis.of(7, 8, 2).count()).isEqualTo(1);
    assertThat(TileAxis.of(7, 8, 2).tile()).isEqualTo(7);
  }

  @Test
  void tilesOfACellwiseEncoderAndDecoderPutBackTheWholeResult() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given an odd-sized image (23 × 37 cells) and tiles of 8 cells overlapping by 2
      VaeTiling tiling = new VaeTiling(8 * F, 2 * F);
      NDArray image = SeededRandom.seeded(1).gaussian(manager, new Shape(2, 3, 23 * F, 37 * F));
      NDArray latents = SeededRandom.seeded(2).gaussian(manager, new Shape(2, 4, 23, 37));
      // an "encoder": each cell's mean and max over its pixels; a "decoder": each cell spread to its pixels, bent by tanh
      Function<NDArray, NDList> encode = x -> {
        Shape s = x.getShape();
        NDArray cells = x.reshape(s.get(0), s.get(1), s.get(2) / F, F, s.get(3) / F, F);
        return new NDList(cells.mean(new int[] {5}).mean(new int[] {3}), cells.max(new int[] {5}).max(new int[] {3}));
      };
      Function<NDArray, NDList> decode = z -> {
        Shape s = z.getShape();
        return new NDList(z.reshape(s.get(0), s.get(1), s.get(2), 1, s.get(3), 1)
            .broadcast(new Shape(s.get(0), s.get(1), s.get(2), F, s.get(3), F)).reshape(s.get(0), s.get(1), s.get(2) * F, s.get(3) * F).tanh());
      };

      // when
      NDList encoded = TiledPass.run(tiling, F, image, F, 1, new int[] {3, 3}, encode);
      NDArray decoded = TiledPass.run(tiling, F, latents, 1, F, new int[] {4}, decode).singletonOrThrow();

      // then
      NDList wholeEncoded = encode.apply(image);
      Approx.assertClose("mean", encoded.get(0), wholeEncoded.get(0), 1e-6);
      Approx.assertClose("max", encoded.get(1), wholeEncoded.get(1), 1e-6);
      Approx.assertClose("decoded", decoded, decode.apply(latents).singletonOrThrow(), 1e-6);
    }
  }
}
