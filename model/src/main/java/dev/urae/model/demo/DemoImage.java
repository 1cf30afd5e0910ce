package dev.urae.model.demo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;

/** An RGB image as planar floats in [0, 1], channel-major: {@code rgb[c·H·W + y·W + x]}. */
public record DemoImage(int width, int height, float[] rgb) {
  public DemoImage {
    if (width < 1 || height < 1 || rgb.length != 3 * width * height) {
      throw new IllegalArgumentException(rgb.length + " values do not make a " + width + "x" + height + " RGB image");
    }
  }

  public float get(int channel, int x, int y) {
    return rgb[(channel * height + y) * width + x];
  }

  /** {@code [3, H, W]} in [−1, 1], the model's image convention. */
  public NDArray toTensor(NDManager manager) {
    float[] values = new float[rgb.length];
    for (int i = 0; i < values.length; i++) values[i] = rgb[i] * 2f - 1f;
    return manager.create(values, new Shape(3, height, width));
  }

  /** Reads {@code [3, H, W]} (or {@code [1, 3, H, W]}) values in [−1, 1], clamping. */
  public static DemoImage fromTensor(NDArray tensor) {
    Shape s = tensor.getShape();
    int h = Math.toIntExact(s.get(s.dimension() - 2));
    int w = Math.toIntExact(s.get(s.dimension() - 1));
    float[] values = tensor.toFloatArray();
    for (int i = 0; i < values.length; i++) values[i] = Math.max(0f, Math.min(1f, (values[i] + 1f) / 2f));
    return new DemoImage(w, h, values);
  }

  public BufferedImage toBufferedImage() {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = Math.round(255 * clamp(get(0, x, y)));
        int g = Math.round(255 * clamp(get(1, x, y)));
        int b = Math.round(255 * clamp(get(2, x, y)));
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return image;
  }

  /** Box-filter downsampling by an integer factor (what a lower resolution would record). */
  public DemoImage downsample(int factor) {
    if (width % factor != 0 || height % factor != 0) throw new IllegalArgumentException(width + "x" + height + " is not divisible by " + factor);
    int w = width / factor;
    int h = height / factor;
    float[] out = new float[3 * w * h];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float sum = 0;
          for (int dy = 0; dy < factor; dy++) for (int dx = 0; dx < factor; dx++) sum += get(c, x * factor + dx, y * factor + dy);
          out[(c * h + y) * w + x] = sum / (factor * factor);
        }
      }
    }
    return new DemoImage(w, h, out);
  }

  private static float clamp(float v) {
    return Math.max(0f, Math.min(1f, v));
  }
}
