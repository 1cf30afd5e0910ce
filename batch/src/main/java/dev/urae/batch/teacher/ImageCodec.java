package dev.urae.batch.teacher;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.imageio.ImageIO;

/** Decoding downloaded or stored images to RGB, and encoding PNG, with java.awt only. */
public final class ImageCodec {
  private ImageCodec() {}

  /**
   * Decodes PNG, JPEG (or anything ImageIO reads) into an RGB image; transparency is flattened
   * onto white because training images have no alpha channel.
   *
   * @param what names the bytes in the error message (an item, a key)
   * @throws IOException when the bytes are not an image ImageIO can read
   */
  public static BufferedImage decodeRgb(byte[] bytes, String what) throws IOException {
    return decodeRgb(new ByteArrayInputStream(bytes), what);
  }

  public static BufferedImage decodeRgb(InputStream in, String what) throws IOException {
    BufferedImage image;
    try {
      image = ImageIO.read(in);
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot decode image " + what + ": " + e.getMessage(), e);
    }
    if (image == null) throw new IOException("not a readable image (PNG or JPEG expected): " + what);
    return toRgb(image);
  }

  /** The image itself when it is already {@code TYPE_INT_RGB}, else an RGB copy over white. */
  public static BufferedImage toRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) return image;
    BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return rgb;
  }

  /** Encodes {@code image} as PNG. */
  public static byte[] encodePng(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight());
    try {
      if (!ImageIO.write(image, "png", out)) throw new IllegalStateException("no PNG writer in this JVM");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("writing PNG to memory failed", e);
    }
    return out.toByteArray();
  }

  /** True when {@code bytes} start with the PNG signature. */
  public static boolean isPng(byte[] bytes) {
    return bytes.length >= 8 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N'
        && bytes[3] == 'G' && bytes[4] == 0x0d && bytes[5] == 0x0a && bytes[6] == 0x1a && bytes[7] == 0x0a;
  }
}
