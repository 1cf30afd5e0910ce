package dev.urae.model.demo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a demo-world prompt back into the scene it describes, so that the demo teacher can draw
 * any manifest line written in the grammar ("a large red striped circle at the top left on a
 * white background"). Prompts outside the grammar are not scenes: the caller rejects them.
 */
public final class PromptParser {
  private static final Map<String, SceneObject> PHRASES = phrases();
  private static final Map<String, Palette.Background> BACKGROUNDS = backgrounds();

  private PromptParser() {}

  /** The scene {@code prompt} describes, or empty when it is not a prompt of the demo grammar. */
  public static Optional<SceneDescription> parse(String prompt) {
    String text = prompt.strip().toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
    int on = text.lastIndexOf(" on a ");
    if (on < 0 || !text.endsWith(" background")) return Optional.empty();
    Palette.Background background = BACKGROUNDS.get(text.substring(on + 6, text.length() - " background".length()));
    if (background == null) return Optional.empty();
    String[] parts = text.substring(0, on).split(" and ", -1);
    if (parts.length > 2) return Optional.empty();
    List<SceneObject> objects = new java.util.ArrayList<>();
    for (String part : parts) {
      SceneObject object = PHRASES.get(part);
      if (object == null) return Optional.empty();
      objects.add(object);
    }
    try {
      return Optional.of(new SceneDescription(objects, background));
    } catch (IllegalArgumentException samePosition) {
      return Optional.empty();
    }
  }

  /** Every single-object phrase of the grammar (a few thousand): parsing is then a lookup. */
  private static Map<String, SceneObject> phrases() {
    Map<String, SceneObject> phrases = new HashMap<>();
    for (Palette.Shape shape : Palette.Shape.values()) {
      for (Palette.Colour colour : Palette.Colour.values()) {
        for (Palette.Size size : Palette.Size.values()) {
          for (Palette.Texture texture : Palette.Texture.values()) {
            for (Palette.Position position : Palette.Position.values()) {
              SceneObject object = new SceneObject(shape, colour, size, texture, position);
              phrases.put(object.phrase(), object);
            }
          }
        }
      }
    }
    return phrases;
  }

  private static Map<String, Palette.Background> backgrounds() {
    Map<String, Palette.Background> backgrounds = new HashMap<>();
    for (Palette.Background background : Palette.Background.values()) backgrounds.put(background.word(), background);
    return backgrounds;
  }
}
