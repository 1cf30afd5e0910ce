package dev.urae.model.vae;

import java.util.ArrayList;
import java.util.List;

/**
 * The tiles along one side of an image, in latent cells: where each starts, and each one's
 * blend weight per position. Tiles step by {@code tile − overlap}; the last one is moved back to
 * end at the edge, so every tile has the full size (a sliver of a tile would see too little of
 * the image) and the last overlap may be wider. A tile's weight rises linearly across its overlap
 * with the previous tile and falls across its overlap with the next, and the weights are divided
 * by their sum at each position: over a regular overlap the two ramps already sum to one (a plain
 * cross-fade), and the wider last overlap is normalised the same way.
 */
final class TileAxis {
  private final int size;
  private final int tile;
  private final int[] origins;

  private TileAxis(int size, int tile, int[] origins) {
    this.size = size;
    this.tile = tile;
    this.origins = origins;
  }

  /** Tiles of {@code tile} cells overlapping by {@code overlap} over {@code size} cells (one tile of {@code size} when it fits). */
  static TileAxis of(int size, int tile, int overlap) {
    if (size <= tile) return new TileAxis(size, size, new int[] {0});
    List<Integer> origins = new ArrayList<>();
    for (int origin = 0; origin + tile < size; origin += tile - overlap) origins.add(origin);
    origins.add(size - tile);
    return new TileAxis(size, tile, origins.stream().mapToInt(Integer::intValue).toArray());
  }

  int count() {
    return origins.length;
  }

  /** Side of every tile, in cells. */
  int tile() {
    return tile;
  }

  int origin(int index) {
    return origins[index];
  }

  /**
   * Tile {@code index}'s blend weights at {@code scale} positions per cell (1 in latent space, the
   * downsampling factor in pixel space), one per position of the tile; over all tiles they sum to
   * one at every position of the side.
   */
  float[] weights(int index, int scale) {
    double[] sum = new double[size * scale];
    for (int i = 0; i < origins.length; i++) {
      double[] raw = raw(i, scale);
      for (int p = 0; p < raw.length; p++) sum[origins[i] * scale + p] += raw[p];
    }
    double[] raw = raw(index, scale);
    float[] weights = new float[raw.length];
    for (int p = 0; p < raw.length; p++) weights[p] = (float) (raw[p] / sum[origins[index] * scale + p]);
    return weights;
  }

  /** Ramps of (p + 1) / (ramp + 1) into the overlaps: positive everywhere, so the sum never vanishes. */
  private double[] raw(int index, int scale) {
    int length = tile * scale;
    int lead = index == 0 ? 0 : (origins[index - 1] + tile - origins[index]) * scale;
    int trail = index == origins.length - 1 ? 0 : (origins[index] + tile - origins[index + 1]) * scale;
    double[] w = new double[length];
    for (int p = 0; p < length; p++) {
      double up = p < lead ? (p + 1.0) / (lead + 1) : 1;
      double down = length - 1 - p < trail ? (length - p) / (trail + 1.0) : 1;
      w[p] = up * down;
    }
    return w;
  }
}
