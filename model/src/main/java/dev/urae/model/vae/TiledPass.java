package dev.urae.model.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.function.Function;

/** One encode or decode over an image split by {@link VaeTiling}: the tiles' outputs blended by {@link TileAxis} weights. */
final class TiledPass {
  private TiledPass() {}

  /**
   * Runs {@code whole} on each tile of {@code input} and blends its outputs into full-size
   * arrays; runs it once on the whole input when tiling is off or the input fits in one tile
   * ({@code f}: the VAE's downsampling factor). Positions are counted in latent cells: {@code inPerCell} input and {@code outPerCell}
   * output positions per cell (the downsampling factor in pixel space, 1 in latent space). Each
   * tile runs in its own scope, so only one tile's activations are alive at a time.
   */
  static NDList run(VaeTiling tiling, int f, NDArray input, int inPerCell, int outPerCell, int[] outChannels, Function<NDArray, NDList> whole) {
    Shape s = input.getShape();
    int rows = (int) s.get(2) / inPerCell;
    int cols = (int) s.get(3) / inPerCell;
    if (!tiling.enabled() || Math.max(rows, cols) * f <= tiling.tile()) return whole.apply(input);
    TileAxis ys = TileAxis.of(rows, tiling.tile() / f, tiling.overlap() / f);
    TileAxis xs = TileAxis.of(cols, tiling.tile() / f, tiling.overlap() / f);
    NDManager m = input.getManager();
    NDList out = new NDList();
    for (int channels : outChannels) out.add(m.zeros(new Shape(s.get(0), channels, (long) rows * outPerCell, (long) cols * outPerCell), input.getDataType()));
    for (int ty = 0; ty < ys.count(); ty++) {
      for (int tx = 0; tx < xs.count(); tx++) {
        try (NDScope scope = new NDScope()) {
          NDList tile = whole.apply(input.get(region(ys, ty, xs, tx, inPerCell)));
          NDArray wy = m.create(ys.weights(ty, outPerCell), new Shape(1, 1, (long) ys.tile() * outPerCell, 1));
          NDArray wx = m.create(xs.weights(tx, outPerCell), new Shape(1, 1, 1, (long) xs.tile() * outPerCell));
          NDIndex target = region(ys, ty, xs, tx, outPerCell);
          for (int i = 0; i < out.size(); i++) out.get(i).set(target, out.get(i).get(target).add(tile.get(i).mul(wy).mul(wx)));
        }
      }
    }
    return out;
  }

  /** Tile (ty, tx)'s rectangle at {@code perCell} positions per latent cell. */
  private static NDIndex region(TileAxis ys, int ty, TileAxis xs, int tx, int perCell) {
    int y = ys.origin(ty) * perCell;
    int x = xs.origin(tx) * perCell;
    return new NDIndex(":, :, {}:{}, {}:{}", y, y + ys.tile() * perCell, x, x + xs.tile() * perCell);
  }

}
