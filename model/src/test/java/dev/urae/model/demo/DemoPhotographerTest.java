package dev.urae.model.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DemoPhotographerTest {
  private final DemoPhotographer photographer = new DemoPhotographer();

  @Test
  void anExactPlacementDrawsTheDescribedScene() {
    // given
    SceneDescription scene = PromptGrammar.standard().scene(4, 0);
    // when
    DemoImage placed = SceneRenderer.render(scene, 32, List.of(SceneRenderer.Placement.EXACT, SceneRenderer.Placement.EXACT));
    // then
    assertThat(placed.rgb()).containsExactly(SceneRenderer.render(scene, 32).rgb());
  }

  @Test
  void photographsAreReproducibleAndNeverExact() {
    SceneDescription scene = PromptGrammar.standard().scene(4, 1);
    TeacherSample a = photographer.sample(scene, 32, 9);
    TeacherSample b = photographer.sample(scene, 32, 9);
    assertThat(a.image().rgb()).containsExactly(b.image().rgb());
    assertThat(a.image().rgb()).isNotEqualTo(SceneRenderer.render(scene, 32).rgb());
  }

  @Test
  void captionsNameOnlyObjectsThatAreInThePhotograph() {
    int partial = 0;
    for (int i = 0; i < 200; i++) {
      // given
      SceneDescription scene = PromptGrammar.standard().scene(5, i);
      // when
      TeacherSample photo = photographer.sample(scene, 16, i);
      // then the caption is the truth or leaves an object of the photograph out, never invents one
      assertThat(photo.truth().objects()).containsAll(scene.objects());
      int named = (int) photo.truth().objects().stream().filter(o -> photo.prompt().contains(o.phrase())).count();
      assertThat(named).isGreaterThanOrEqualTo(1);
      if (named < photo.truth().objects().size()) partial++;
    }
    // about half the captions are partial (unnamed extra object, or one of two named)
    assertThat(partial).isBetween(60, 140);
  }

  @Test
  void photographsAreUnbiasedOnAverage() {
    // given one scene photographed many times
    SceneDescription scene = new SceneDescription(List.of(new SceneObject(Palette.Shape.CIRCLE, Palette.Colour.RED, Palette.Size.LARGE,
        Palette.Texture.PLAIN, Palette.Position.CENTER)), Palette.Background.GRAY);
    float[] truth = SceneRenderer.render(scene, 16).rgb();
    float[] mean = new float[truth.length];
    int n = 400;
    // when
    for (int i = 0; i < n; i++) {
      float[] photo = photographer.sample(scene, 16, i).image().rgb();
      for (int k = 0; k < mean.length; k++) mean[k] += photo[k] / n;
    }
    // then the average photograph is close to the truth (the jitter has mean zero), unlike a single one
    assertThat(rms(mean, truth)).isLessThan(0.5 * rms(photographer.sample(scene, 16, 0).image().rgb(), truth));
  }

  private static double rms(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
    return Math.sqrt(s / a.length);
  }
}
