package dev.urae.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.batch.config.UraeProperties;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunConfigFactoryTest {

  @Test
  void itemsWithoutASizeAre64SquareWithoutARecipe() throws Exception {
    assertThat(RunConfigFactory.from(new UraeProperties()).options()).containsEntry("width", "64").containsEntry("height", "64")
        .containsEntry("recipe", "none");
  }

  @Test
  void theRecipeSetsTheSizeOfItemsWithoutOneUnlessTheUserDoes() throws Exception {
    // given
    UraeProperties properties = new UraeProperties();
    properties.setPipeline(new HashMap<>(Map.of("recipe", "urae-2k")));

    // when / then
    assertThat(RunConfigFactory.from(properties).options()).containsEntry("width", "2048").containsEntry("height", "2048");
    properties.setWidth(1024);
    assertThat(RunConfigFactory.from(properties).options()).containsEntry("width", "1024").containsEntry("height", "2048");
  }
}
