package dev.urae.model.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Draws scenes of the demo world: the same seed gives the same scenes everywhere. */
public final class PromptGrammar {
  private final double twoObjectProbability;

  public PromptGrammar(double twoObjectProbability) {
    if (twoObjectProbability < 0 || twoObjectProbability > 1) {
      throw new IllegalArgumentException("twoObjectProbability must be in [0, 1], was " + twoObjectProbability);
    }
    this.twoObjectProbability = twoObjectProbability;
  }

  /** The demo's grammar: half the scenes have two objects. */
  public static PromptGrammar standard() {
    return new PromptGrammar(0.5);
  }

  /** Scene {@code index} of the stream with this seed (independent of any other index). */
  public SceneDescription scene(long seed, long index) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    int count = random.nextDouble() < twoObjectProbability ? 2 : 1;
    List<SceneObject> objects = new ArrayList<>();
    if (count == 1) {
      objects.add(object(random, pick(random, Palette.Position.values())));
    } else {
      // Two objects sit in two different corners, so they never overlap.
      Palette.Position[] corners = {Palette.Position.TOP_LEFT, Palette.Position.TOP_RIGHT, Palette.Position.BOTTOM_LEFT, Palette.Position.BOTTOM_RIGHT};
      int first = random.nextInt(4);
      int second = (first + 1 + random.nextInt(3)) % 4;
      objects.add(object(random, corners[first]));
      objects.add(object(random, corners[second]));
    }
    return new SceneDescription(objects, pick(random, Palette.Background.values()));
  }

  /** {@code count} scenes starting at index 0. */
  public List<SceneDescription> scenes(long seed, int count) {
    List<SceneDescription> scenes = new ArrayList<>();
    for (int i = 0; i < count; i++) scenes.add(scene(seed, i));
    return scenes;
  }

  private static SceneObject object(SplittableRandom random, Palette.Position position) {
    return new SceneObject(pick(random, Palette.Shape.values()), pick(random, Palette.Colour.values()),
        pick(random, Palette.Size.values()), pick(random, Palette.Texture.values()), position);
  }

  private static <T> T pick(SplittableRandom random, T[] values) {
    return values[random.nextInt(values.length)];
  }
}
