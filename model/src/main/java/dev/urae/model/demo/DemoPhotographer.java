package dev.urae.model.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * "Real photographs" of demo scenes: unbiased but noisy given their caption, the way real
 * high-resolution data sets are. Each photo jitters every object's position (±{@code 0.04}),
 * size (±10%) and texture phase, adds gaussian sensor noise (σ = 0.04), and its caption is
 * not the whole truth: with probability ½ a one-object scene has a second, unnamed object in
 * another corner, and a two-object scene's caption names only one of them. The jitter has
 * mean zero, so on average a photograph is the described scene: no bias, only noise. Beside
 * it the {@link DemoTeacher} is clean but biased by its error level δ.
 */
public final class DemoPhotographer implements SceneSource {
  static final float POSITION_JITTER = 0.04f;
  static final float SIZE_JITTER = 0.10f;
  static final float SENSOR_NOISE = 0.04f;
  static final double UNNAMED_PROBABILITY = 0.5;

  @Override
  public TeacherSample sample(SceneDescription scene, int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    SceneDescription photographed = scene;
    SceneDescription captioned = scene;
    if (random.nextDouble() < UNNAMED_PROBABILITY) {
      if (scene.objects().size() == 2) {
        captioned = new SceneDescription(List.of(scene.objects().get(random.nextInt(2))), scene.background());
      } else if (scene.objects().get(0).position() != Palette.Position.CENTER) {
        photographed = withUnnamedObject(scene, random);
      }
    }
    List<SceneRenderer.Placement> placements = new ArrayList<>();
    for (int i = 0; i < photographed.objects().size(); i++) {
      placements.add(new SceneRenderer.Placement(jitter(random, POSITION_JITTER), jitter(random, POSITION_JITTER),
          1 + jitter(random, SIZE_JITTER), (float) random.nextDouble()));
    }
    DemoImage image = addSensorNoise(SceneRenderer.render(photographed, size, placements), random);
    return new TeacherSample(image, captioned.prompt(), captioned.generatedPrompt(), photographed);
  }

  private static SceneDescription withUnnamedObject(SceneDescription scene, SplittableRandom random) {
    SceneObject named = scene.objects().get(0);
    Palette.Position[] corners = {Palette.Position.TOP_LEFT, Palette.Position.TOP_RIGHT, Palette.Position.BOTTOM_LEFT, Palette.Position.BOTTOM_RIGHT};
    Palette.Position where;
    do {
      where = corners[random.nextInt(corners.length)];
    } while (where == named.position());
    SceneObject unnamed = new SceneObject(pick(random, Palette.Shape.values()), pick(random, Palette.Colour.values()), Palette.Size.SMALL,
        pick(random, Palette.Texture.values()), where);
    return new SceneDescription(List.of(named, unnamed), scene.background());
  }

  private static DemoImage addSensorNoise(DemoImage image, SplittableRandom random) {
    float[] rgb = image.rgb().clone();
    for (int i = 0; i < rgb.length; i++) rgb[i] = Math.max(0f, Math.min(1f, rgb[i] + SENSOR_NOISE * (float) random.nextGaussian()));
    return new DemoImage(image.width(), image.height(), rgb);
  }

  /** Uniform in [−amplitude, amplitude]: mean zero. */
  private static float jitter(SplittableRandom random, float amplitude) {
    return (float) ((random.nextDouble() * 2 - 1) * amplitude);
  }

  private static <T> T pick(SplittableRandom random, T[] values) {
    return values[random.nextInt(values.length)];
  }
}
