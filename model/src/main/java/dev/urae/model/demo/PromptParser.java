package dev.urae.model.demo;

import dev.urae.model.text.Vocabulary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a demo-world prompt back into the scene it describes, so that the demo teacher can draw
 * any manifest line written in the grammar ("a large red striped circle at the top left on a
 * white background"). Prompts outside the grammar are not scenes: the caller rejects them, and
 * {@link #outsideGrammar} says why. The grammar is documented in {@link #GRAMMAR_DOC}.
 */
public final class PromptParser {
  /** Where the grammar is described for users, relative to the repository root. */
  public static final String GRAMMAR_DOC = "docs/demo-grammar.md";
  /** The form of a prompt, in one line. */
  public static final String FORM = "a|an SIZE COLOUR [TEXTURE] SHAPE at the POSITION [and a|an ...] on a BACKGROUND background";
  private static final Map<String, SceneObject> PHRASES = phrases();
  private static final Map<String, Palette.Background> BACKGROUNDS = backgrounds();
  private static final Set<String> WORDS = words();

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

  /**
   * Why {@code prompt} is not a prompt of the demo grammar, or empty when it is: the words it
   * uses that the grammar does not know, else that the known words are not in the grammar's form.
   */
  public static Optional<String> outsideGrammar(String prompt) {
    if (parse(prompt).isPresent()) return Optional.empty();
    List<String> unknown = Vocabulary.split(prompt).stream().filter(w -> !WORDS.contains(w)).distinct().toList();
    if (!unknown.isEmpty()) {
      return Optional.of((unknown.size() == 1 ? "the word " : "the words ") + unknown.stream().map(w -> "\"" + w + "\"")
          .collect(java.util.stream.Collectors.joining(", ")) + (unknown.size() == 1 ? " is" : " are") + " outside the demo grammar");
    }
    return Optional.of("its words are the demo grammar's but not in its form \"" + FORM + "\" (two objects need two positions)");
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

  /** Every word a prompt of the grammar can use. */
  private static Set<String> words() {
    Set<String> words = new HashSet<>(Vocabulary.split("a an at the and on background"));
    PHRASES.keySet().forEach(phrase -> words.addAll(Vocabulary.split(phrase)));
    BACKGROUNDS.keySet().forEach(background -> words.addAll(Vocabulary.split(background)));
    return Set.copyOf(words);
  }

  private static Map<String, Palette.Background> backgrounds() {
    Map<String, Palette.Background> backgrounds = new HashMap<>();
    for (Palette.Background background : Palette.Background.values()) backgrounds.put(background.word(), background);
    return backgrounds;
  }
}
