package dev.urae.model.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.adapter.AdapterTargets;
import org.junit.jupiter.api.Test;

class MemoryPlannerTest {
  private static final long GIB_80 = 80L << 30;

  private static final long GIB_141 = 141L << 30;

  private static Workload fluxDev(int side, AdapterKind kind, int bytes, boolean checkpointing) throws Exception {
    return fluxDev(side, kind, bytes, checkpointing, GIB_80);
  }

  private static Workload fluxDev(int side, AdapterKind kind, int bytes, boolean checkpointing, long device) throws Exception {
    ModelShapes s = ModelShapes.resolve("flux-dev");
    return new Workload(s.name(), s.transformer(), s.vae(), s.textEncoderParameters(), s.textTokens(), side, side, kind, 16,
        AdapterTargets.URAE, "prodigy", bytes, checkpointing, false, 1024, device);
  }

  @Test
  void urae2kFitsOn80GbButThe4kStageNeedsMoreWhileActivationsStayFp32() throws Exception {
    // when
    MemoryPlan lora2k = MemoryPlanner.plan(fluxDev(2048, AdapterKind.LORA, 2, true));
    MemoryPlan minor4k80 = MemoryPlanner.plan(fluxDev(4096, AdapterKind.MINOR, 2, true));
    MemoryPlan minor4k141 = MemoryPlanner.plan(fluxDev(4096, AdapterKind.MINOR, 2, true, GIB_141));

    // then
    assertThat(lora2k.fits()).as(lora2k.table()).isTrue();
    assertThat(minor4k80.fits(minor4k80.stage("adapt"))).as(minor4k80.table()).isFalse();
    assertThat(minor4k80.fits(minor4k80.stage("render"))).as(minor4k80.table()).isTrue();
    assertThat(minor4k141.fits()).as(minor4k141.table()).isTrue();
    // FLUX.1-dev's bf16 weights are 11.9 B parameters x 2 bytes
    assertThat(lora2k.stage("adapt").weights()).isEqualTo(11_901_408_320L * 2);
  }

  @Test
  void bf16WeightsHalveTheWeightsButNotTheActivationsWhichTheCodeKeepsInFp32() throws Exception {
    // when
    MemoryPlan bf16 = MemoryPlanner.plan(fluxDev(2048, AdapterKind.LORA, 2, true));
    MemoryPlan fp32 = MemoryPlanner.plan(fluxDev(2048, AdapterKind.LORA, 4, true));

    // then
    assertThat(bf16.stage("adapt").weights() * 2).isEqualTo(fp32.stage("adapt").weights());
    assertThat(bf16.stage("adapt").activations()).isEqualTo(fp32.stage("adapt").activations())
        .isEqualTo(MemoryPlanner.trainingActivations(bf16.workload().transformer(), (512 + 16_384L) * 3072 * Float.BYTES, true));
    assertThat(bf16.stage("render: sampling").activations()).isEqualTo(fp32.stage("render: sampling").activations());
    assertThat(bf16.table()).contains("weights bf16, activations fp32");
  }

  @Test
  void withoutCheckpointingThe4kStageDoesNotFitAndTheTableSaysWhich() throws Exception {
    // when
    MemoryPlan plan = MemoryPlanner.plan(fluxDev(4096, AdapterKind.MINOR, 2, false));

    // then
    assertThat(plan.fits()).isFalse();
    assertThat(plan.fits(plan.stage("adapt"))).isFalse();
    assertThat(plan.stage("adapt").activations()).isGreaterThan(5 * MemoryPlanner.trainingActivations(plan.workload().transformer(),
        (512 + 65_536L) * 3072 * Float.BYTES, true));
    assertThat(plan.table()).contains("adapt (minor r16)").contains("NO");
  }
}
