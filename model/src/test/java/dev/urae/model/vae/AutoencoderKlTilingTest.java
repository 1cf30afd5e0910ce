package dev.urae.model.vae;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.codec.LatentPosterior;
import dev.urae.model.component.RandomComponent;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.tensors.DType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VAE tile by tile beside the VAE over the whole image. Tiles are not exact (see {@link
 * VaeTiling}): each tile's group norms and mid-block attention see only the tile, and its
 * convolutions see zeros past its edges where the whole image has neighbours. The placement and
 * the blend weights are exact ({@code TiledPassTest}); what is left is those statistics, and
 * their size depends on the weights and the input. The test holds them down as far as one can on
 * a random VAE (weights N(0, 0.02): every group norm re-amplifies what the convolutions shrink, so
 * it is far more sensitive to statistics than a trained one): the inputs are stationary noise
 * (every tile has the whole input's statistics up to sampling), tiles span 32 latent cells,
 * several times the receptive field at the latent level (about 10 cells), and a side is not a
 * whole number of tile steps, so the last tile overlaps wider. Bounds, as RMS of the difference
 * over RMS of the untiled output: posterior mean 0.15, std 0.02, decoded image 0.25; measured
 * 0.10, 0.007 and 0.15. A misplaced tile, a missing or doubled blend weight, or a shift by one
 * cell gives differences of the order of the output itself (ratio near 1). Decoding the encoded
 * noise instead measured 0.49: those latents are almost constant inside and dominated by the
 * image border, so a tile's statistics depend on whether it holds a border.
 */
class AutoencoderKlTilingTest {
  /** FLUX's VAE architecture at toy widths, with four levels so that it downsamples 8× as FLUX's does. */
  static final VaeConfig EIGHTFOLD = new VaeConfig(3, 3, 4, List.of(8, 16, 16, 16), 1, 8, 0.3611, 0.1159, false, false, true);

  @TempDir static Path dir;

  @BeforeAll
  static void writeVae() throws Exception {
    RandomComponent.write(EIGHTFOLD, dir.resolve("vae"), 5, DType.F32);
  }

  @Test
  void tiledEncodeAndDecodeMatchTheWholeImageWithinTheTileStatistics() throws Exception {
    try (NDManager manager = NDManager.newBaseManager(); AutoencoderKl vae = load(manager)) {
      // given a 384 × 576 picture (48 × 72 cells): 2 × 3 tiles of 256 pixels overlapping by 64, the last column's by 128
      NDArray image = SeededRandom.seeded(3).gaussian(manager, new Shape(1, 3, 8 * 48, 8 * 72)).clip(-1, 1);
      NDArray latents = SeededRandom.seeded(4).gaussian(manager, new Shape(1, 4, 48, 72));
      vae.setTiling(VaeTiling.OFF);
      LatentPosterior whole = vae.encodeRawPosterior(image);
      NDArray wholeDecoded = vae.decodeRaw(latents);

      // when
      vae.setTiling(new VaeTiling(256, 64));
      LatentPosterior tiled = vae.encodeRawPosterior(image);
      NDArray tiledDecoded = vae.decodeRaw(latents);

      // then
      assertThat(relativeRms(tiled.mean(), whole.mean())).as("encoded mean").isLessThan(0.15);
      assertThat(relativeRms(tiled.std(), whole.std())).as("encoded std").isLessThan(0.02);
      assertThat(relativeRms(tiledDecoded, wholeDecoded)).as("decoded").isLessThan(0.25);
      assertThat(tiledDecoded.getShape()).isEqualTo(wholeDecoded.getShape());
    }
  }

  @Test
  void animageThatFitsOneTileIsNotTiled() throws Exception {
    try (NDManager manager = NDManager.newBaseManager(); AutoencoderKl vae = load(manager)) {
      // given an image of exactly one tile
      NDArray latents = SeededRandom.seeded(4).gaussian(manager, new Shape(1, 4, 8, 6));
      vae.setTiling(VaeTiling.OFF);
      NDArray whole = vae.decodeRaw(latents);

      // when
      vae.setTiling(new VaeTiling(64, 16));

      // then
      assertThat(relativeRms(vae.decodeRaw(latents), whole)).isZero();
    }
  }

  @Test
  void tilesMustLineUpWithLatentCells() throws Exception {
    try (NDManager manager = NDManager.newBaseManager(); AutoencoderKl vae = load(manager)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> vae.setTiling(new VaeTiling(100, 20)))
          .hasMessageContaining("multiples of the VAE's downsampling factor 8");
    }
  }

  private static AutoencoderKl load(NDManager manager) throws Exception {
    return AutoencoderKl.load(Checkpoint.open(dir.resolve("vae")).component("vae"), Device.cpu(), manager, "test");
  }

  private static double relativeRms(NDArray actual, NDArray expected) {
    return actual.sub(expected).square().mean().sqrt().getFloat() / expected.square().mean().sqrt().getFloat();
  }
}
