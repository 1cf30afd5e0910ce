package dev.urae.batch.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecipeTest {

  @Test
  void urae2kSetsUraesTwoKValuesOverTheDemoDefaults() {
    // when
    Map<String, String> options = PipelineOptions.resolve(Map.of("recipe", "urae-2k"), false);

    // then
    assertThat(options).containsEntry("adapt.kind", "lora").containsEntry("adapt.rank", "16").containsEntry("adapt.optimizer", "prodigy")
        .containsEntry("adapt.steps", "2000").containsEntry("adapt.guidance", "1.0").containsEntry("adapt.ntk-factor", "1.0")
        .containsEntry("adapt.proportional-attention", "false").containsEntry("render.shift", "3.0")
        .containsEntry("render.ntk-factor", "10").containsEntry("render.proportional-attention", "true")
        .containsEntry("render.steps", "28").containsEntry("render.guidance", "3.5")
        .containsEntry("adapt.position-interpolation", "false").containsEntry("render.position-interpolation", "false");
  }

  @Test
  void urae4kTrainsMinorComponentsWithNtkAndProportionalAttentionOnTheChainedAdapter() {
    Map<String, String> options = PipelineOptions.resolve(Map.of("recipe", "urae-4k", "adapt.from-adapter", "2k.safetensors"), false);
    assertThat(options).containsEntry("adapt.kind", "minor").containsEntry("adapt.steps", "10000").containsEntry("adapt.ntk-factor", "10")
        .containsEntry("adapt.proportional-attention", "true").containsEntry("adapt.from-adapter", "2k.safetensors");
  }

  @Test
  void everyOptionTheUserSetsAndTheQuickProfileOverrideTheRecipe() {
    // when
    Map<String, String> options = PipelineOptions.resolve(Map.of("recipe", "urae-2k", "adapt.rank", "8"), true);

    // then
    assertThat(options).containsEntry("adapt.rank", "8").containsEntry("adapt.steps", "30").containsEntry("adapt.optimizer", "prodigy");
  }

  @Test
  void withoutARecipeTheDemoDefaultsStayAsTheyAre() {
    assertThat(PipelineOptions.resolve(Map.of(), false)).containsEntry("recipe", "none").containsEntry("adapt.steps", "300")
        .containsEntry("adapt.optimizer", "adamw").containsEntry("render.shift", "auto");
  }

  @Test
  void anUnknownRecipeIsRefusedNamingTheOptionAndTheKnownOnes() {
    assertThatThrownBy(() -> PipelineOptions.resolve(Map.of("recipe", "urae-8k"), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown recipe 'urae-8k'").hasMessageContaining("--recipe").hasMessageContaining("urae.pipeline.recipe")
        .hasMessageContaining("urae-2k, urae-4k");
  }

  @Test
  void urae4kWithoutAnAdapterToChainIsRefusedSayingWhatToAdd() {
    assertThatThrownBy(() -> PipelineOptions.resolve(Map.of("recipe", "urae-4k"), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("recipe urae-4k").hasMessageContaining("--from-adapter FILE|s3://...|RUN_ID")
        .hasMessageContaining("urae.pipeline.adapt.from-adapter");
  }

  @Test
  void anAdapterToChainWithALoraIsRefused() {
    assertThatThrownBy(() -> PipelineOptions.resolve(Map.of("adapt.from-adapter", "2k.safetensors"), false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("adapt.kind is 'lora'").hasMessageContaining("--adapter minor");
  }

  @Test
  void deviationsAreTheSettingsThatDifferFromTheRecipeComparingNumbersByValue() {
    // given a urae-2k run with fewer steps, the same NTK factor spelled "1", and a smaller size
    Map<String, String> configuration = new HashMap<>(PipelineOptions.resolve(
        Map.of("recipe", "urae-2k", "adapt.steps", "500", "adapt.ntk-factor", "1"), false));
    configuration.put("width", "1024");
    configuration.put("height", "2048");

    // when / then
    assertThat(Recipe.URAE_2K.deviations(configuration)).containsExactly(
        new Recipe.Deviation("adapt.steps", "2000", "500"), new Recipe.Deviation("width", "2048", "1024"));
  }

  @Test
  void theHelpLineNamesTheRecipeAndEveryValueItSets() {
    List<String> lines = Recipe.URAE_4K.helpLines();
    assertThat(lines.get(0)).startsWith("  urae-4k  URAE's 4K stage");
    assertThat(lines).allMatch(line -> line.length() <= 78);
    assertThat(String.join(" ", lines)).contains("width=height=4096,", "adapt.kind=minor,", "adapt.steps=10000,", "render.ntk-factor=10,")
        .endsWith("adapt.checkpoint-every=100");
  }
}
