package dev.urae.model.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.model.text.Vocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoWorldTest {

  @Test
  void theGrammarIsDeterministicBySeedAndVariesAcrossIndices() {
    // given
    PromptGrammar grammar = PromptGrammar.standard();

    // when
    List<SceneDescription> first = grammar.scenes(3, 40);
    List<SceneDescription> again = grammar.scenes(3, 40);

    // then
    assertThat(again).isEqualTo(first);
    assertThat(first.stream().map(SceneDescription::prompt).distinct().count()).isGreaterThan(30);
    assertThat(first).anyMatch(s -> s.objects().size() == 2).anyMatch(s -> s.objects().size() == 1);
  }

  @Test
  void captionsUseOnlyTheDemoVocabulary() {
    // given
    Vocabulary vocabulary = DemoWorld.vocabulary();

    // when every word of 200 scenes' captions is looked up
    long unknown = PromptGrammar.standard().scenes(9, 200).stream()
        .flatMap(s -> Vocabulary.split(s.prompt() + " " + s.generatedPrompt()).stream())
        .filter(w -> !vocabulary.words().contains(w))
        .count();

    // then
    assertThat(unknown).isZero();
  }

  @Test
  void everyCaptionFitsTheTextLengthWhole() {
    // given both captions of the pretraining scenes
    int longest = PromptGrammar.standard().scenes(DemoWorld.TRAIN_SEED, 4000).stream()
        .mapToInt(s -> Math.max(Vocabulary.split(s.generatedPrompt()).size(), Vocabulary.split(s.prompt()).size())).max().orElseThrow();

    // then the encoder never cuts a caption (not even a background clause)
    assertThat(longest).isLessThanOrEqualTo(DemoWorld.MAX_TEXT_TOKENS);
  }

  @Test
  void fineDetailOnlyShowsAtHighResolution() {
    // given a striped shape
    SceneDescription scene = new SceneDescription(List.of(new SceneObject(Palette.Shape.SQUARE, Palette.Colour.BLUE, Palette.Size.LARGE,
        Palette.Texture.STRIPED, Palette.Position.CENTER)), Palette.Background.WHITE);
    DemoImage truth = SceneRenderer.render(scene, 64);

    // when the scene is seen at 32 pixels and brought back to 64 by pixel repetition
    DemoImage low = truth.downsample(2);
    float[] upsampled = new float[3 * 64 * 64];
    for (int c = 0; c < 3; c++) for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) upsampled[(c * 64 + y) * 64 + x] = low.get(c, x / 2, y / 2);

    // then colours and layout survive but most high-frequency detail is gone
    DemoScore lowScore = DemoMetric.score(scene, new DemoImage(64, 64, upsampled));
    DemoScore truthScore = DemoMetric.score(scene, truth);
    assertThat(truthScore.fidelity()).isEqualTo(1.0);
    assertThat(truthScore.textureDetail()).isEqualTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(lowScore.fidelity()).isEqualTo(1.0);
    assertThat(lowScore.textureDetail()).isLessThan(0.6);
  }

  @Test
  void theMetricPenalisesWrongColoursAndTheTeachersErrorsCostScore() {
    // given
    SceneDescription scene = PromptGrammar.standard().scene(11, 0);
    SceneObject o = scene.objects().get(0);
    Palette.Colour other = o.colour() == Palette.Colour.RED ? Palette.Colour.BLUE : Palette.Colour.RED;
    SceneDescription recoloured = new SceneDescription(List.of(new SceneObject(o.shape(), other, o.size(), o.texture(), o.position())), scene.background());

    // when
    DemoScore wrongColour = DemoMetric.score(scene.objects().size() == 1 ? scene : new SceneDescription(List.of(o), scene.background()),
        SceneRenderer.render(recoloured, 64));
    SceneDescription textured = new SceneDescription(List.of(new SceneObject(o.shape(), o.colour(), Palette.Size.LARGE, Palette.Texture.CHECKERED,
        o.position())), scene.background());
    DemoScore exact = DemoMetric.score(textured, DemoTeacher.exact().sample(textured, 64, 1).image());
    DemoScore noisy = DemoMetric.score(textured, new DemoTeacher(0.8).sample(textured, 64, 1).image());

    // then
    assertThat(wrongColour.fidelity()).isZero();
    assertThat(exact.psnr()).isGreaterThan(noisy.psnr());
    assertThat(exact.textureDetail()).isGreaterThan(noisy.textureDetail());
  }

  @Test
  void theTeacherIsDeterministicBySeed() {
    SceneDescription scene = PromptGrammar.standard().scene(4, 2);
    TeacherSample a = new DemoTeacher(0.5).sample(scene, 32, 9);
    TeacherSample b = new DemoTeacher(0.5).sample(scene, 32, 9);
    assertThat(a.image().rgb()).containsExactly(b.image().rgb());
    assertThat(a.prompt()).isEqualTo(b.prompt());
  }
}
