package dev.urae.model.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.adapter.AdapterTargets;
import org.junit.jupiter.api.Test;

class MemoryPlannerTest {
  private static final long GIB_80 = 80L << 30;

  private static Workload fluxDev(int side, AdapterKind kind, int bytes, boolean checkpointing) throws Exception {
    ModelShapes s = ModelShapes.resolve("flux-dev");
    return new Workload(s.name(), s.transformer(), s.vae(), s.textEncoderParameters(), s.textTokens(), side, side, kind, 16,
        AdapterTargets.URAE, "prodigy", bytes, bytes, checkpointing, false, 1024, GIB_80);
  }

  @Test
  void urae2kAnd4kTrainingFitOn80GbWithCheckpointingInBf16() throws Exception {
    // when
    MemoryPlan lora2k = MemoryPlanner.plan(fluxDev(2048, AdapterKind.LORA, 2, true));
    MemoryPlan minor4k = MemoryPlanner.plan(fluxDev(4096, AdapterKind.MINOR, 2, true));

    // then
    assertThat(lora2k.fits()).as(lora2k.table()).isTrue();
    assertThat(minor4k.fits()).as(minor4k.table()).isTrue();
    // FLUX.1-dev's bf16 weights are 11.9 B parameters x 2 bytes
    assertThat(lora2k.stage("adapt").weights()).isEqualTo(11_901_408_320L * 2);
  }

  @Test
  void withoutCheckpointingThe4kStageDoesNotFitAndTheTableSaysWhich() throws Exception {
    // when
    MemoryPlan plan = MemoryPlanner.plan(fluxDev(4096, AdapterKind.MINOR, 2, false));

    // then
    assertThat(plan.fits()).isFalse();
    assertThat(plan.fits(plan.stage("adapt"))).isFalse();
    assertThat(plan.stage("adapt").activations()).isGreaterThan(5 * MemoryPlanner.trainingActivations(plan.workload().transformer(),
        (512 + 65_536L) * 3072 * 2, true));
    assertThat(plan.table()).contains("adapt (minor r16)").contains("NO");
  }
}
