package dev.urae.model.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;

/** RGB images to float tensors {@code [3, H, W]} in [−1, 1] and back (clamped, rounded). */
public final class ImageTensors {
  private ImageTensors() {}

  /** {@code [3, H, W]}: channel value v ∈ 0..255 becomes v/127.5 − 1. Alpha is ignored. */
  public static NDArray toTensor(BufferedImage image, NDManager manager) {
    int h = image.getHeight();
    int w = image.getWidth();
    float[] data = new float[3 * h * w];
    int plane = h * w;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = image.getRGB(x, y);
        int i = y * w + x;
        data[i] = ((rgb >> 16) & 0xff) / 127.5f - 1f;
        data[plane + i] = ((rgb >> 8) & 0xff) / 127.5f - 1f;
        data[2 * plane + i] = (rgb & 0xff) / 127.5f - 1f;
      }
    }
    return manager.create(data, new Shape(3, h, w));
  }

  /** An RGB image from {@code [3, H, W]} (or {@code [1, 3, H, W]}) values in [−1, 1]. */
  public static BufferedImage toImage(NDArray tensor) {
    Shape s = tensor.getShape();
    if (s.dimension() == 4 && s.get(0) == 1) s = s.slice(1);
    if (s.dimension() != 3 || s.get(0) != 3) throw new IllegalArgumentException("expected [3, H, W], got " + tensor.getShape());
    int h = Math.toIntExact(s.get(1));
    int w = Math.toIntExact(s.get(2));
    float[] data = tensor.toFloatArray();
    int plane = h * w;
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        image.setRGB(x, y, (channel(data[i]) << 16) | (channel(data[plane + i]) << 8) | channel(data[2 * plane + i]));
      }
    }
    return image;
  }

  private static int channel(float v) {
    float scaled = (v + 1f) * 127.5f;
    return Math.max(0, Math.min(255, Math.round(Float.isNaN(scaled) ? 0 : scaled)));
  }
}
