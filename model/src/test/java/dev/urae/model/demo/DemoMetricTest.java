package dev.urae.model.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each part of the demo metric on hand-made images whose score is known. */
class DemoMetricTest {
  private static final int SIZE = 64;
  private static final SceneObject RED_SQUARE = object(Palette.Colour.RED, Palette.Texture.PLAIN, Palette.Position.TOP_LEFT);
  private static final SceneObject BLUE_CIRCLE = new SceneObject(Palette.Shape.CIRCLE, Palette.Colour.BLUE, Palette.Size.LARGE,
      Palette.Texture.PLAIN, Palette.Position.BOTTOM_RIGHT);
  private static final SceneObject STRIPED_SQUARE = object(Palette.Colour.GREEN, Palette.Texture.STRIPED, Palette.Position.CENTER);

  @Test
  void theTruthScoresPerfectlyOnEveryPart() {
    // given
    SceneDescription scene = new SceneDescription(List.of(STRIPED_SQUARE), Palette.Background.WHITE);

    // when
    DemoScore score = DemoMetric.score(scene, SceneRenderer.render(scene, SIZE));

    // then
    assertThat(score.fidelity()).isEqualTo(1.0);
    assertThat(score.objectColourError()).isZero();
    assertThat(score.backgroundColourError()).isZero();
    assertThat(score.textureDetail()).isEqualTo(1.0, within(1e-12));
    assertThat(score.psnr()).isEqualTo(DemoMetric.EXACT_PSNR);
  }

  @Test
  void aCanvasInTheObjectsColourHasNoObjectErrorAndTheBackgroundsDistanceAsBackgroundError() {
    // given a red square on black, and an image that is red everywhere
    SceneDescription scene = new SceneDescription(List.of(RED_SQUARE), Palette.Background.BLACK);
    DemoImage allRed = uniform(Palette.Colour.RED.rgb());

    // when
    DemoScore score = DemoMetric.score(scene, allRed);

    // then
    assertThat(score.objectColourError()).isEqualTo(0.0, within(1e-6));
    assertThat(score.backgroundColourError()).isEqualTo(distance(Palette.Colour.RED.rgb(), background(Palette.Background.BLACK)), within(1e-6));
    assertThat(score.fidelity()).isEqualTo(1.0);
  }

  @Test
  void aCanvasInTheBackgroundsColourHasNoBackgroundErrorAndMissesTheObject() {
    // given
    SceneDescription scene = new SceneDescription(List.of(RED_SQUARE), Palette.Background.GRAY);

    // when
    DemoScore score = DemoMetric.score(scene, uniform(background(Palette.Background.GRAY)));

    // then
    assertThat(score.backgroundColourError()).isEqualTo(0.0, within(1e-6));
    assertThat(score.objectColourError()).isEqualTo(distance(Palette.Colour.RED.rgb(), background(Palette.Background.GRAY)), within(1e-6));
    assertThat(score.fidelity()).isZero();
  }

  @Test
  void fidelityCountsTheObjectsDrawnInTheirColour() {
    // given a red square and a blue circle, and an image that is red everywhere
    SceneDescription scene = new SceneDescription(List.of(RED_SQUARE, BLUE_CIRCLE), Palette.Background.WHITE);

    // when
    DemoScore score = DemoMetric.score(scene, uniform(Palette.Colour.RED.rgb()));

    // then one object of two is right; the error is the blue circle's distance, averaged over both
    assertThat(score.fidelity()).isEqualTo(0.5);
    assertThat(score.objectColourError()).isEqualTo(distance(Palette.Colour.RED.rgb(), Palette.Colour.BLUE.rgb()) / 2, within(1e-6));
  }

  @Test
  void textureDetailIsTheShareOfTheTruthsTextureReproducedInPlace() {
    // given a striped square, its truth, and flat colour
    SceneDescription scene = new SceneDescription(List.of(STRIPED_SQUARE), Palette.Background.WHITE);
    DemoImage truth = SceneRenderer.render(scene, SIZE);
    DemoImage flat = uniform(Palette.Colour.GREEN.rgb());

    // when / then: flat colour has none of it, half the contrast half, the inverted pattern minus all of it
    assertThat(DemoMetric.score(scene, flat).textureDetail()).isEqualTo(0.0, within(1e-12));
    assertThat(DemoMetric.score(scene, blend(truth, flat, 0.5f)).textureDetail()).isEqualTo(0.5, within(1e-5));
    assertThat(DemoMetric.score(scene, blend(truth, flat, -1f)).textureDetail()).isEqualTo(-1.0, within(1e-5));
  }

  @Test
  void plainObjectsDoNotEnterTheTextureScoreEvenWhereTheirEdgesReachInside() {
    // given a small plain triangle at 32x32, whose eroded interior still holds anti-aliased edge pixels
    SceneObject triangle = new SceneObject(Palette.Shape.TRIANGLE, Palette.Colour.YELLOW, Palette.Size.SMALL, Palette.Texture.PLAIN,
        Palette.Position.TOP_LEFT);
    SceneDescription scene = new SceneDescription(List.of(triangle), Palette.Background.BLACK);

    // when its own truth is scored
    DemoScore score = DemoMetric.score(scene, SceneRenderer.render(scene, 32));

    // then texture is undefined (not a ratio of edge slivers) and the object counts as drawn
    assertThat(score.textureDetail()).isNaN();
    assertThat(score.fidelity()).isEqualTo(1.0);
  }

  @Test
  void textureDetailIsUndefinedForPlainObjects() {
    // given
    SceneDescription scene = new SceneDescription(List.of(RED_SQUARE), Palette.Background.WHITE);

    // when
    DemoScore score = DemoMetric.score(scene, SceneRenderer.render(scene, SIZE));

    // then
    assertThat(score.textureDetail()).isNaN();
  }

  @Test
  void psnrOfAConstantOffsetOfOneTenthIsTwentyDecibels() {
    // given the truth shifted by 0.1 in every channel of every pixel: MSE 0.01
    SceneDescription scene = new SceneDescription(List.of(RED_SQUARE), Palette.Background.GRAY);
    DemoImage truth = SceneRenderer.render(scene, SIZE);
    float[] shifted = truth.rgb().clone();
    for (int i = 0; i < shifted.length; i++) shifted[i] += 0.1f;

    // when
    DemoScore score = DemoMetric.score(scene, new DemoImage(SIZE, SIZE, shifted));

    // then
    assertThat(score.psnr()).isEqualTo(20.0, within(1e-4));
  }

  @Test
  void scoresOverSeveralImagesAverageFidelityAndPoolTexture() {
    // given one image exactly right and one blank
    SceneDescription scene = new SceneDescription(List.of(STRIPED_SQUARE), Palette.Background.WHITE);
    DemoImage truth = SceneRenderer.render(scene, SIZE);
    DemoImage blank = uniform(background(Palette.Background.WHITE));

    // when
    DemoScore score = DemoMetric.score(List.of(scene, scene), List.of(truth, blank));

    // then
    assertThat(score.images()).isEqualTo(2);
    assertThat(score.fidelity()).isEqualTo(0.5);
    assertThat(score.textureDetail()).isEqualTo(0.5, within(1e-9));
  }

  private static SceneObject object(Palette.Colour colour, Palette.Texture texture, Palette.Position position) {
    return new SceneObject(Palette.Shape.SQUARE, colour, Palette.Size.LARGE, texture, position);
  }

  private static float[] background(Palette.Background background) {
    return new float[] {background.r, background.g, background.b};
  }

  private static DemoImage uniform(float[] colour) {
    float[] rgb = new float[3 * SIZE * SIZE];
    for (int c = 0; c < 3; c++) Arrays.fill(rgb, c * SIZE * SIZE, (c + 1) * SIZE * SIZE, colour[c]);
    return new DemoImage(SIZE, SIZE, rgb);
  }

  /** {@code weight·a + (1 − weight)·b}, pixel by pixel. */
  private static DemoImage blend(DemoImage a, DemoImage b, float weight) {
    float[] rgb = new float[a.rgb().length];
    for (int i = 0; i < rgb.length; i++) rgb[i] = weight * a.rgb()[i] + (1 - weight) * b.rgb()[i];
    return new DemoImage(SIZE, SIZE, rgb);
  }

  private static double distance(float[] a, float[] b) {
    double sum = 0;
    for (int c = 0; c < 3; c++) sum += (a[c] - b[c]) * (a[c] - b[c]);
    return Math.sqrt(sum);
  }
}
