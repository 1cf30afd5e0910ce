package dev.urae.model.vae;

/**
 * How the VAE splits a large image: square tiles of {@code tile} pixels whose neighbours overlap
 * by {@code overlap} pixels, each encoded or decoded on its own and cross-faded over the overlap
 * (a linear ramp). Peak memory is then one tile's activations, whatever the image size: FLUX's
 * decoder keeps several 128-channel float32 maps at full resolution, about 8 GiB each at 4K.
 *
 * <p>An image whose sides both fit in one tile runs whole. Both sizes must be multiples of the
 * VAE's downsampling factor (8 for FLUX), so that pixel tiles and latent tiles line up; the
 * overlap may be at most half a tile, so that a tile's two ramps never meet.
 *
 * <p>Tiles are not exact: group norms and the mid-block attention see one tile instead of the
 * whole image, so the result differs from the untiled one by a little (see {@code
 * AutoencoderKlTilingTest} for the measured size). A wider overlap hides seams better and costs
 * more tiles.
 *
 * @param tile side of a tile in pixels, 0 for no tiling
 * @param overlap pixels shared by neighbouring tiles
 */
public record VaeTiling(int tile, int overlap) {
  /** Never tiles. */
  public static final VaeTiling OFF = new VaeTiling(0, 0);

  /** FLUX's native 1024-pixel side per tile, a quarter of it shared with each neighbour (as diffusers' tiling overlaps). */
  public static final VaeTiling DEFAULT = new VaeTiling(1024, 256);

  public VaeTiling {
    if (tile == 0 && overlap != 0) throw new IllegalArgumentException("VAE tiling is off (tile 0) but overlap is " + overlap);
    if (tile < 0) throw new IllegalArgumentException("VAE tile must be positive (or 0 for no tiling), got " + tile);
    if (overlap < 0 || 2 * overlap > tile) {
      throw new IllegalArgumentException("VAE tile overlap must be between 0 and half the tile (" + tile / 2 + "), got " + overlap);
    }
  }

  /** Parses {@code off} or {@code TILE[/OVERLAP]} in pixels ({@code 1024/256}; the overlap defaults to a quarter of the tile). */
  public static VaeTiling parse(String text) {
    String s = text.strip();
    if (s.equalsIgnoreCase("off")) return OFF;
    try {
      int slash = s.indexOf('/');
      int tile = Integer.parseInt(slash < 0 ? s : s.substring(0, slash).strip());
      int overlap = slash < 0 ? tile / 4 : Integer.parseInt(s.substring(slash + 1).strip());
      return new VaeTiling(tile, overlap);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("VAE tiling must be 'off' or TILE[/OVERLAP] in pixels (e.g. 1024/256), got '" + text + "'");
    }
  }

  /** Whether tiling is on. */
  public boolean enabled() {
    return tile > 0;
  }

  /** Checks that tiles line up with latent cells of {@code factor} pixels. */
  void requireMultiplesOf(int factor) {
    if (enabled() && (tile % factor != 0 || overlap % factor != 0)) {
      throw new IllegalArgumentException("VAE tile " + tile + " and overlap " + overlap + " must be multiples of the VAE's downsampling factor " + factor);
    }
  }

  @Override
  public String toString() {
    return enabled() ? tile + "/" + overlap : "off";
  }
}
