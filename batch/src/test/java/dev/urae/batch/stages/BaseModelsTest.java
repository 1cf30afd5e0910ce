package dev.urae.batch.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.batch.task.TaskSpec;
import dev.urae.model.base.BaseModel;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaseModelsTest {

  private static StageParams params(Map<String, String> options) {
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    options.forEach(params::put);
    return new StageParams(new TaskSpec("r1", "cache", "shard-00000", URI.create("file:///tmp/unused/"), List.of(), params));
  }

  @Test
  void theShippedDemoWeightsHaveAStableDigest() throws Exception {
    // when
    String digest = BaseModels.weightsDigest("demo");

    // then
    assertThat(digest).matches("sha256:[0-9a-f]{64}");
    assertThat(BaseModels.weightsDigest("demo")).isEqualTo(digest);
  }

  @Test
  void aWorkerLoadsTheModelWhenItsWeightsAreTheOnesTheRunWasLaunchedWith() throws Exception {
    // given
    StageParams params = params(Map.of("model", "demo", BaseModels.WEIGHTS, BaseModels.weightsDigest("demo")));

    // when
    try (NDManager manager = NDManager.newBaseManager(); BaseModel model = BaseModels.load(params, manager)) {
      // then
      assertThat(model.transformer().config().name()).isEqualTo("demo");
    }
  }

  @Test
  void aWorkerWithOtherWeightsThanTheRunsRefusesToWork() {
    // given a run launched by another build
    StageParams params = params(Map.of("model", "demo", BaseModels.WEIGHTS, "sha256:" + "0".repeat(64)));

    // when / then
    try (NDManager manager = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> BaseModels.load(params, manager))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("the run was launched with sha256:000")
          .hasMessageContaining("the worker and the orchestrator are different builds");
    }
  }

  @Test
  void aReferenceThatIsNeitherAModelNameNorAPathIsRefusedNamingBoth() {
    // when / then
    assertThatThrownBy(() -> BaseModels.weightsDigest("flux-dev"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pipeline option model 'flux-dev': no model of that name and no such file or folder")
        .hasMessageContaining("give 'demo' or the folder of a FLUX.1 checkpoint");
  }
}
