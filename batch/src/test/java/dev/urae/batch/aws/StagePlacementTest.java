package dev.urae.batch.aws;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StagePlacementTest {
  private static final List<String> GPU_STAGES = List.of("cache", "adapt", "render");
  private static final Map<String, String> DEFINITIONS = Map.of(
      "default", "urae-cpu", "cache", "urae-cache", "adapt", "urae-adapt", "render", "urae-render");

  @Test
  void terraformsMappingPasses() {
    // given: what the module's worker environment sets (teacher and report take the default CPU queue)
    Map<String, String> queues = Map.of("default", "urae-cpu", "cache", "urae-gpu", "adapt", "urae-gpu", "render", "urae-gpu");

    // then
    assertThatCode(() -> StagePlacement.check(queues, DEFINITIONS, GPU_STAGES)).doesNotThrowAnyException();
  }

  @Test
  void aGpuStageWithoutItsOwnQueueIsRefusedNamingTheVariable() {
    Map<String, String> queues = Map.of("default", "urae-cpu", "cache", "urae-gpu", "adapt", "urae-gpu");

    assertThatThrownBy(() -> StagePlacement.check(queues, DEFINITIONS, GPU_STAGES))
        .hasMessageContaining("the render stage loads the base model but urae.aws.batch.job-queue.render "
            + "(URAE_AWS_BATCH_JOBQUEUE_RENDER) is not set");
  }

  @Test
  void aCpuOnlyStageOnTheGpuQueueIsRefused() {
    // given: teacher explicitly, report through the default, both on the GPU queue
    Map<String, String> queues = Map.of("default", "urae-gpu", "teacher", "urae-gpu",
        "cache", "urae-gpu", "adapt", "urae-gpu", "render", "urae-gpu");

    assertThatThrownBy(() -> StagePlacement.check(queues, DEFINITIONS, GPU_STAGES))
        .hasMessageContaining("the teacher stage is CPU-only but would go to urae-gpu, the GPU queue of the cache stage: "
            + "set urae.aws.batch.job-queue.teacher (URAE_AWS_BATCH_JOBQUEUE_TEACHER) (or the default) to a CPU queue")
        .hasMessageContaining("the report stage is CPU-only");
  }

  @Test
  void noGpuStagesMeansOneQueueMayServeAll() {
    assertThatCode(() -> StagePlacement.check(Map.of("default", "one-queue"), Map.of("default", "d"), List.of()))
        .doesNotThrowAnyException();
  }
}
