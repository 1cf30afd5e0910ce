package dev.urae.model.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;

/**
 * PNG files with text chunks (headless {@code javax.imageio}). Latin-1 values go into
 * {@code tEXt} chunks as the PNG specification wants; other text (a prompt in any script) goes
 * into UTF-8 {@code iTXt} chunks. Reading returns both kinds.
 */
public final class PngImages {
  private static final String FORMAT = "javax_imageio_png_1.0";

  private PngImages() {}

  /** A decoded PNG and its text chunks. */
  public record PngImage(BufferedImage image, Map<String, String> text) {}

  /** Encodes {@code image} with {@code text} chunks, in insertion order. */
  public static byte[] encode(BufferedImage image, Map<String, String> text) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    try {
      ImageWriteParam param = writer.getDefaultWriteParam();
      IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
      IIOMetadataNode root = new IIOMetadataNode(FORMAT);
      IIOMetadataNode latin = new IIOMetadataNode("tEXt");
      IIOMetadataNode international = new IIOMetadataNode("iTXt");
      for (Map.Entry<String, String> e : text.entrySet()) {
        requireKeyword(e.getKey());
        if (StandardCharsets.ISO_8859_1.newEncoder().canEncode(e.getValue())) {
          IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
          entry.setAttribute("keyword", e.getKey());
          entry.setAttribute("value", e.getValue());
          latin.appendChild(entry);
        } else {
          IIOMetadataNode entry = new IIOMetadataNode("iTXtEntry");
          entry.setAttribute("keyword", e.getKey());
          entry.setAttribute("compressionFlag", "FALSE");
          entry.setAttribute("compressionMethod", "0");
          entry.setAttribute("languageTag", "");
          entry.setAttribute("translatedKeyword", "");
          entry.setAttribute("text", e.getValue());
          international.appendChild(entry);
        }
      }
      if (latin.hasChildNodes()) root.appendChild(latin);
      if (international.hasChildNodes()) root.appendChild(international);
      metadata.mergeTree(FORMAT, root);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
        writer.setOutput(out);
        writer.write(null, new IIOImage(image, null, metadata), param);
      }
      return bytes.toByteArray();
    } finally {
      writer.dispose();
    }
  }

  /** Writes {@code image} with {@code text} chunks to {@code file}. */
  public static void write(Path file, BufferedImage image, Map<String, String> text) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    Files.write(file, encode(image, text));
  }

  /** Decodes a PNG and its text chunks. */
  public static PngImage decode(byte[] png) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        BufferedImage image = reader.read(0);
        Map<String, String> text = new LinkedHashMap<>();
        Node root = reader.getImageMetadata(0).getAsTree(FORMAT);
        for (Node chunk = root.getFirstChild(); chunk != null; chunk = chunk.getNextSibling()) {
          boolean isLatin = chunk.getNodeName().equals("tEXt");
          boolean isInternational = chunk.getNodeName().equals("iTXt");
          if (!isLatin && !isInternational) continue;
          for (Node e = chunk.getFirstChild(); e != null; e = e.getNextSibling()) {
            IIOMetadataNode entry = (IIOMetadataNode) e;
            text.put(entry.getAttribute("keyword"), entry.getAttribute(isLatin ? "value" : "text"));
          }
        }
        return new PngImage(image, text);
      } finally {
        reader.dispose();
      }
    }
  }

  /** Reads a PNG file and its text chunks. */
  public static PngImage read(Path file) throws IOException {
    try {
      return decode(Files.readAllBytes(file));
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + ": not a readable PNG: " + e.getMessage(), e);
    }
  }

  private static void requireKeyword(String keyword) {
    // PNG keywords: 1–79 Latin-1 printable characters.
    if (keyword.isEmpty() || keyword.length() > 79 || !StandardCharsets.ISO_8859_1.newEncoder().canEncode(keyword)) {
      throw new IllegalArgumentException("not a valid PNG text keyword: '" + keyword + "'");
    }
  }
}
