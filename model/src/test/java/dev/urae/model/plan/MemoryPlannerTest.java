package dev.urae.model.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
  void bothTrainingStagesFitOn80GbWithCheckpointingInBf16() throws Exception {
    // when
    MemoryPlan lora2k = MemoryPlanner.plan(fluxDev(2048, AdapterKind.LORA, 2, true));
    MemoryPlan minor4k = MemoryPlanner.plan(fluxDev(4096, AdapterKind.MINOR, 2, true));

    // then every stage of both fits one 80 GiB GPU, the 4K render included
    assertThat(lora2k.fits()).as(lora2k.table()).isTrue();
    assertThat(minor4k.fits()).as(minor4k.table()).isTrue();
    // FLUX.1-dev's bf16 weights are 11.9 B parameters x 2 bytes
    assertThat(lora2k.stage("adapt").weights()).isEqualTo(11_901_408_320L * 2);
  }

  @Test
  void bf16HalvesTheWeightsAndTheKeptBlockInputsOnly() throws Exception {
    // when
    MemoryPlan bf16 = MemoryPlanner.plan(fluxDev(4096, AdapterKind.MINOR, 2, true));
    MemoryPlan fp32 = MemoryPlanner.plan(fluxDev(4096, AdapterKind.MINOR, 4, true));

    // then weights halve; the checkpointed activations differ by half of the 58 kept block
    // inputs (19 double, the join, 38 single), each one float32 [tokens, hidden] array
    long hidden = (512 + 65_536L) * 3072 * Float.BYTES;
    assertThat(bf16.stage("adapt").weights() * 2).isEqualTo(fp32.stage("adapt").weights());
    assertThat(fp32.stage("adapt").activations() - bf16.stage("adapt").activations()).isCloseTo(58 * hidden / 2, within(8L));
    assertThat(bf16.stage("render: sampling").activations()).isEqualTo(fp32.stage("render: sampling").activations());
    // and on 80 GiB the 4K stage needs bf16: its float32 kept inputs alone are 43.8 GiB
    assertThat(fp32.fits(fp32.stage("adapt"))).as(fp32.table()).isFalse();
    assertThat(bf16.table()).contains("weights bf16, activations fp32");
  }

  @Test
  void samplingPeaksAtTheHighestPeakingKindOfBlockTheModelHas() {
    // given one float32 [tokens, hidden] array of 1 MB, and probe models of each kind and of both
    long hidden = 1_000_000;

    // when
    long doubles = MemoryPlanner.inferenceActivations(PeakProbe.probeConfig(512, 8, 4, 0), hidden);
    long singles = MemoryPlanner.inferenceActivations(PeakProbe.probeConfig(512, 8, 0, 4), hidden);
    long both = MemoryPlanner.inferenceActivations(PeakProbe.probeConfig(512, 8, 4, 4), hidden);

    // then double blocks peak lower (17.3 widths, as measured), and a model with single blocks peaks at theirs (23), as FLUX does
    assertThat(doubles).isEqualTo(17_300_000);
    assertThat(singles).isEqualTo(23_000_000);
    assertThat(both).isEqualTo(singles);
  }

  @Test
  void withoutCheckpointingThe4kStageDoesNotFitAndTheTableSaysWhich() throws Exception {
    // when
    MemoryPlan plan = MemoryPlanner.plan(fluxDev(4096, AdapterKind.MINOR, 2, false));

    // then
    assertThat(plan.fits()).isFalse();
    assertThat(plan.fits(plan.stage("adapt"))).isFalse();
    assertThat(plan.stage("adapt").activations()).isGreaterThan(5 * MemoryPlanner.trainingActivations(plan.workload().transformer(),
        (512 + 65_536L) * 3072 * Float.BYTES, true, true));
    assertThat(plan.table()).contains("adapt (minor r16)").contains("NO");
    // and a 141 GB H200 does not hold it either
    assertThat(MemoryPlanner.plan(fluxDev(4096, AdapterKind.MINOR, 2, false, GIB_141)).fits()).isFalse();
  }
}
