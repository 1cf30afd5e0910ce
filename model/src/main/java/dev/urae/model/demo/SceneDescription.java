package dev.urae.model.demo;

import java.util.List;
import java.util.Objects;

/**
 * A scene of the demo world: one or two objects on a background. Its {@link #prompt()} is the
 * short user prompt; {@link #generatedPrompt()} is the detailed caption a captioner would write
 * (URAE's {@code generated_prompt}).
 */
public record SceneDescription(List<SceneObject> objects, Palette.Background background) {
  static final String TEMPLATE_WORDS = "a an and at the on in of with background corner center detailed render";

  public SceneDescription {
    Objects.requireNonNull(background, "background == null");
    objects = List.copyOf(objects);
    if (objects.isEmpty() || objects.size() > 2) throw new IllegalArgumentException("a scene has one or two objects, got " + objects.size());
    if (objects.size() == 2 && objects.get(0).position() == objects.get(1).position()) {
      throw new IllegalArgumentException("two objects cannot share the position " + objects.get(0).position().words());
    }
  }

  public String prompt() {
    StringBuilder text = new StringBuilder(objects.get(0).phrase());
    if (objects.size() == 2) text.append(" and ").append(objects.get(1).phrase());
    return text.append(" on a ").append(background.word()).append(" background").toString();
  }

  public String generatedPrompt() {
    StringBuilder text = new StringBuilder("detailed render of ").append(objects.get(0).detailedPhrase());
    if (objects.size() == 2) text.append(" and ").append(objects.get(1).detailedPhrase());
    return text.append(", on ").append(background.detail).toString();
  }
}
