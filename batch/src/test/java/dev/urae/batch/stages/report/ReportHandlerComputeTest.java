package dev.urae.batch.stages.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.batch.report.StageBatchCompute;
import dev.urae.batch.report.StageCompute;
import dev.urae.infra.exec.ComputeAttempt;
import dev.urae.infra.exec.JobCompute;
import java.time.Instant;
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

  @Test
  void aStagesBatchComputeSumsItsJobsAttemptsByCapacityAndCountsThoseWithoutAPrice() {
    // given two adapt jobs: a Spot attempt (1 h, 1 GPU) then on-demand (2 h); an attempt of unknown capacity without a price
    Instant t0 = Instant.parse("2026-11-26T10:00:00Z");
    JobCompute first = new JobCompute("job-1", "list prices", List.of(
        new ComputeAttempt("job-1:0", t0, t0.plusSeconds(3600), 8, 61440, 1, "SPOT", "g6e.2xlarge", 1.12),
        new ComputeAttempt("job-1:0", t0.plusSeconds(3600), t0.plusSeconds(3 * 3600), 8, 61440, 1, "ON_DEMAND", "g6e.2xlarge", 4.48)));
    JobCompute second = new JobCompute("job-2", "list prices", List.of(
        new ComputeAttempt("job-2", t0, t0.plusSeconds(1800), 4, 8192, 0, "UNKNOWN", null, null)));
    // when
    StageBatchCompute stage = ReportHandler.batchCompute("adapt", List.of(first, second));
    // then
    assertThat(stage.attempts()).isEqualTo(3);
    assertThat(stage.gpuHours()).isEqualTo(3.0);
    assertThat(stage.vcpuHours()).isEqualTo(8 * 3 + 4 * 0.5);
    assertThat(stage.spotHours()).isEqualTo(1.0);
    assertThat(stage.onDemandHours()).isEqualTo(2.0);
    assertThat(stage.unknownCapacityHours()).isEqualTo(0.5);
    assertThat(stage.estimatedUsd()).isCloseTo(5.6, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(stage.unpricedAttempts()).isEqualTo(1);
    assertThat(stage.prices()).isEqualTo("list prices");
  }
}
