package dev.urae.batch.teacher;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Small images drawn in memory, for tests. */
final class TestImages {
  private TestImages() {}

  static BufferedImage solid(int width, int height, Color color) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return image;
  }

  /** {@code border} columns of {@code edge} on the left and right, {@code centre} between. */
  static BufferedImage bands(int width, int height, int border, Color edge, Color centre) {
    BufferedImage image = solid(width, height, centre);
    Graphics2D g = image.createGraphics();
    g.setColor(edge);
    g.fillRect(0, 0, border, height);
    g.fillRect(width - border, 0, border, height);
    g.dispose();
    return image;
  }

  static byte[] encode(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(image, format, out)) throw new IllegalStateException("no writer for " + format);
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] png(int width, int height, Color color) {
    return encode(solid(width, height, color), "png");
  }

  static BufferedImage decode(byte[] bytes) throws IOException {
    return ImageIO.read(new java.io.ByteArrayInputStream(bytes));
  }

  static Color colorAt(BufferedImage image, int x, int y) {
    return new Color(image.getRGB(x, y));
  }

  /** True when every channel differs by at most {@code tolerance}. */
  static boolean near(Color actual, Color expected, int tolerance) {
    return Math.abs(actual.getRed() - expected.getRed()) <= tolerance
        && Math.abs(actual.getGreen() - expected.getGreen()) <= tolerance
        && Math.abs(actual.getBlue() - expected.getBlue()) <= tolerance;
  }
}
