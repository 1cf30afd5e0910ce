package dev.urae.batch.teacher;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Resizing for training images and thumbnails. Downscaling halves the image repeatedly with
 * bilinear filtering (each halving averages 2×2 pixels) before one last bilinear step, because a
 * single large bilinear step samples only a few source pixels per output pixel and aliases.
 */
public final class ImageFit {
  private ImageFit() {}

  /**
   * Scales {@code image} to cover {@code width × height} and crops the overflow equally from both
   * sides, so the result is exactly the target size with the source's aspect preserved.
   */
  public static BufferedImage cover(BufferedImage image, int width, int height) {
    checkSize(width, height);
    int w = image.getWidth();
    int h = image.getHeight();
    if (w == width && h == height) return image;
    // The source region with the target's aspect ratio, as large as fits, centred.
    double targetAspect = (double) width / height;
    int cropW = w;
    int cropH = h;
    if ((double) w / h > targetAspect) {
      cropW = clamp((int) Math.round(h * targetAspect), 1, w);
    } else {
      cropH = clamp((int) Math.round(w / targetAspect), 1, h);
    }
    BufferedImage region = image.getSubimage((w - cropW) / 2, (h - cropH) / 2, cropW, cropH);
    return resize(region, width, height);
  }

  /** The factor by which {@link #cover} scales {@code w × h} to reach {@code width × height}. */
  public static double coverScale(int w, int h, int width, int height) {
    return Math.max((double) width / w, (double) height / h);
  }

  /** Scales {@code image} down (never up) so its longer side is at most {@code maxSide}. */
  public static BufferedImage fitWithin(BufferedImage image, int maxSide) {
    if (maxSide < 1) throw new IllegalArgumentException("maxSide must be >= 1, got " + maxSide);
    int w = image.getWidth();
    int h = image.getHeight();
    if (Math.max(w, h) <= maxSide) return image;
    double scale = (double) maxSide / Math.max(w, h);
    return resize(image, Math.max(1, (int) Math.round(w * scale)), Math.max(1, (int) Math.round(h * scale)));
  }

  /** Resizes to exactly {@code width × height} (aspect not preserved), into a new RGB image. */
  public static BufferedImage resize(BufferedImage image, int width, int height) {
    checkSize(width, height);
    BufferedImage current = image;
    while (current.getWidth() >= 2 * width && current.getHeight() >= 2 * height) {
      current = draw(current, current.getWidth() / 2, current.getHeight() / 2);
    }
    if (current.getWidth() == width && current.getHeight() == height && current != image) return current;
    return draw(current, width, height);
  }

  private static BufferedImage draw(BufferedImage source, int width, int height) {
    BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = target.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(source, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return target;
  }

  private static void checkSize(int width, int height) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
    }
  }

  private static int clamp(int value, int min, int max) {
    return Math.max(min, Math.min(max, value));
  }
}
