package dev.urae.batch.stages.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.batch.report.StageCompute;
import dev.urae.batch.task.TaskCompute;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportHandlerComputeTest {
  @Test
  void aStagesComputeSumsItsTasksAndATaskWithoutCpuTimeAddsOnlyItsWallTime() {
    // when
    StageCompute stage = ReportHandler.compute("teacher",
        List.of(new TaskCompute(1000, 800), new TaskCompute(2000, 1500), new TaskCompute(500, -1)));
    // then
    assertThat(stage).isEqualTo(new StageCompute("teacher", 3, 3500, 2300));
  }
}
