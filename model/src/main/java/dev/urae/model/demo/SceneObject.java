package dev.urae.model.demo;

import java.util.Objects;

/** One shape of a scene. */
public record SceneObject(Palette.Shape shape, Palette.Colour colour, Palette.Size size, Palette.Texture texture, Palette.Position position) {
  public SceneObject {
    Objects.requireNonNull(shape, "shape == null");
    Objects.requireNonNull(colour, "colour == null");
    Objects.requireNonNull(size, "size == null");
    Objects.requireNonNull(texture, "texture == null");
    Objects.requireNonNull(position, "position == null");
  }

  /** "a large red striped circle at the top left". */
  String phrase() {
    String texture = this.texture == Palette.Texture.PLAIN ? "" : this.texture.word() + " ";
    return article(size.word()) + " " + size.word() + " " + colour.word() + " " + texture + shape.word() + " at the " + position.words();
  }

  /** "a large red circle with thin diagonal stripes in the top left corner". */
  String detailedPhrase() {
    String where = position == Palette.Position.CENTER ? "in the center" : "in the " + position.words() + " corner";
    return article(size.word()) + " " + size.word() + " " + colour.word() + " " + shape.word() + " with " + texture.detail + " " + where;
  }

  private static String article(String next) {
    return "aeiou".indexOf(next.charAt(0)) >= 0 ? "an" : "a";
  }
}
