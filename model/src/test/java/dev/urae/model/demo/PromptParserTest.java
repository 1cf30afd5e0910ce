package dev.urae.model.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromptParserTest {

  @Test
  void readsBackEveryPromptTheGrammarWrites() {
    // given
    var scenes = PromptGrammar.standard().scenes(42, 300);
    // then
    for (SceneDescription scene : scenes) {
      assertThat(PromptParser.parse(scene.prompt())).as(scene.prompt()).contains(scene);
    }
  }

  @Test
  void toleratesCaseAndSpacingButNotOtherText() {
    SceneDescription scene = PromptGrammar.standard().scene(1, 0);
    assertThat(PromptParser.parse("  " + scene.prompt().toUpperCase().replace(" ", "  ") + " ")).contains(scene);
    assertThat(PromptParser.parse("a photo of a cat")).isEmpty();
    assertThat(PromptParser.parse(scene.prompt().replace(" background", " wall"))).isEmpty();
  }
}
