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

  @Test
  void saysWhichWordsFallOutsideTheGrammar() {
    // when
    var why = PromptParser.outsideGrammar("a red fox in snow");

    // then
    assertThat(why).contains("the words \"fox\", \"in\", \"snow\" are outside the demo grammar");
  }

  @Test
  void saysWhenKnownWordsAreNotInTheGrammarsForm() {
    // when the words are the grammar's but the order is not
    var why = PromptParser.outsideGrammar("a red large circle at the top left on a white background");

    // then
    assertThat(why).hasValueSatisfying(reason -> assertThat(reason).contains("not in its form").contains(PromptParser.FORM));
  }

  @Test
  void aPromptOfTheGrammarIsNotOutsideIt() {
    SceneDescription scene = PromptGrammar.standard().scene(3, 7);
    assertThat(PromptParser.outsideGrammar(scene.prompt())).isEmpty();
  }
}
