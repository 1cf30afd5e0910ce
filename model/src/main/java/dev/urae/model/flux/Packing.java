package dev.urae.model.flux;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * FLUX's 2×2 packing of latents into tokens: {@code [B, C, H, W] → [B, (H/2)(W/2), 4C]}, token
 * {@code r·(W/2) + c} holding channels in {@code (C, 2, 2)} order, like diffusers'
 * {@code _pack_latents}.
 */
public final class Packing {
  private Packing() {}

  /** Packs {@code [B, C, H, W]} (H, W even) into {@code [B, (H/2)(W/2), 4C]}. */
  public static NDArray pack(NDArray latents) {
    Shape s = latents.getShape();
    if (s.dimension() != 4 || s.get(2) % 2 != 0 || s.get(3) % 2 != 0) {
      throw new IllegalArgumentException("latents must be [B, C, H, W] with even H and W, got " + s);
    }
    long b = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
    return latents.reshape(b, c, h / 2, 2, w / 2, 2).transpose(0, 2, 4, 1, 3, 5).reshape(b, (h / 2) * (w / 2), c * 4);
  }

  /** Inverse of {@link #pack(NDArray)} for a {@code height × width} latent. */
  public static NDArray unpack(NDArray packed, int height, int width) {
    Shape s = packed.getShape();
    long b = s.get(0), c = s.get(2) / 4;
    if (s.dimension() != 3 || s.get(1) != (long) (height / 2) * (width / 2) || s.get(2) % 4 != 0) {
      throw new IllegalArgumentException("packed must be [B, " + (height / 2) * (width / 2) + ", 4C], got " + s);
    }
    return packed.reshape(b, height / 2, width / 2, c, 2, 2).transpose(0, 3, 1, 4, 2, 5).reshape(b, c, height, width);
  }
}
