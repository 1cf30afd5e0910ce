package dev.urae.model.demo;

import java.util.List;

/** The words of the demo world and the colours they mean. */
public final class Palette {
  private Palette() {}

  public enum Colour {
    RED(0.86f, 0.16f, 0.16f), GREEN(0.18f, 0.68f, 0.25f), BLUE(0.16f, 0.32f, 0.86f),
    YELLOW(0.95f, 0.84f, 0.16f), PURPLE(0.56f, 0.24f, 0.72f), ORANGE(0.96f, 0.55f, 0.10f);

    final float r;
    final float g;
    final float b;

    Colour(float r, float g, float b) {
      this.r = r;
      this.g = g;
      this.b = b;
    }

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public float[] rgb() {
      return new float[] {r, g, b};
    }
  }

  public enum Shape {
    CIRCLE, SQUARE, TRIANGLE, DIAMOND;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public enum Size {
    SMALL(0.13f), LARGE(0.21f);

    /** Half-extent as a fraction of the image side. */
    final float radius;

    Size(float radius) {
      this.radius = radius;
    }

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Fine surface patterns; their periods are below what 32 pixels can resolve. */
  public enum Texture {
    PLAIN("plain", "a plain surface"),
    STRIPED("striped", "thin stripes"),
    DOTTED("dotted", "tiny white dots"),
    CHECKERED("checkered", "a fine checkerboard");

    final String adjective;
    final String detail;

    Texture(String adjective, String detail) {
      this.adjective = adjective;
      this.detail = detail;
    }

    public String word() {
      return adjective;
    }
  }

  public enum Position {
    TOP_LEFT("top left", 0.29f, 0.29f), TOP_RIGHT("top right", 0.71f, 0.29f), CENTER("center", 0.5f, 0.5f),
    BOTTOM_LEFT("bottom left", 0.29f, 0.71f), BOTTOM_RIGHT("bottom right", 0.71f, 0.71f);

    final String words;
    final float x;
    final float y;

    Position(String words, float x, float y) {
      this.words = words;
      this.x = x;
      this.y = y;
    }

    public String words() {
      return words;
    }
  }

  public enum Background {
    WHITE("white", "a plain white background", 0.95f, 0.95f, 0.93f, false),
    GRAY("gray", "a plain gray background", 0.52f, 0.53f, 0.55f, false),
    BLACK("black", "a plain black background", 0.07f, 0.07f, 0.09f, false),
    GRID("grid", "a light background with a dark grid", 0.88f, 0.90f, 0.93f, true);

    final String word;
    final String detail;
    final float r;
    final float g;
    final float b;
    final boolean grid;

    Background(String word, String detail, float r, float g, float b, boolean grid) {
      this.word = word;
      this.detail = detail;
      this.r = r;
      this.g = g;
      this.b = b;
      this.grid = grid;
    }

    public String word() {
      return word;
    }
  }

  /** Every word the grammar's captions can use, for the demo text encoder's vocabulary. */
  public static List<String> vocabulary() {
    java.util.LinkedHashSet<String> words = new java.util.LinkedHashSet<>();
    for (Colour c : Colour.values()) words.add(c.word());
    for (Shape s : Shape.values()) words.add(s.word());
    for (Size s : Size.values()) words.add(s.word());
    for (Texture t : Texture.values()) words.addAll(dev.urae.model.text.Vocabulary.split(t.adjective + " " + t.detail));
    for (Position p : Position.values()) words.addAll(dev.urae.model.text.Vocabulary.split(p.words));
    for (Background b : Background.values()) words.addAll(dev.urae.model.text.Vocabulary.split(b.word + " " + b.detail));
    words.addAll(dev.urae.model.text.Vocabulary.split(SceneDescription.TEMPLATE_WORDS));
    return List.copyOf(words);
  }
}
