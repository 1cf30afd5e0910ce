package dev.urae.model.adapter;

import static dev.urae.model.adapter.TinyModel.maxAbs;
import static dev.urae.model.adapter.TinyModel.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.svd.DecompositionCache;
import dev.urae.model.svd.MinorComponentDecomposer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterChainTest {
  private final NDManager manager = NDManager.newBaseManager();
  private final MinorComponentDecomposer decomposer = new MinorComponentDecomposer(DecompositionCache.none());
  @TempDir Path folder;

  @AfterEach
  void close() {
    manager.close();
  }

  /** A trained rank-{@code rank} LoRA on URAE's targets of the tiny model, as a diffusers file (the 2K stage's output). */
  static Path trainedLora(NDManager manager, Path file, int rank) throws Exception {
    FluxTransformer model = TinyModel.create(manager);
    try (Adapter lora = Adapter.initLora(model.linears(), AdapterSpec.urae(AdapterKind.LORA, rank), SeededRandom.seeded(4))) {
      TinyModel.perturb(lora, 5);
      DiffusersLora.export(lora, file);
    }
    return file;
  }

  @Test
  void chainExportOnTheOriginalBaseEqualsTheChainedModel() throws Exception {
    // given minor components trained on the base with a 2K LoRA fused in
    Path lora2k = trainedLora(manager, folder.resolve("2k.safetensors"), 3);
    FluxTransformer model = TinyModel.create(manager);
    AdapterChain chain = AdapterChain.fuseThenDecompose(lora2k, model.linears(), AdapterSpec.urae(AdapterKind.MINOR, 2), decomposer);
    TinyModel.perturb(chain.trained(), 8);
    float[] adapted = TinyModel.output(model);

    // when exported and attached to the original base
    Path file = folder.resolve("4k.safetensors");
    chain.export(file);
    FluxTransformer original = TinyModel.create(manager);
    Adapter loaded = DiffusersLora.attach(file, original.linears());

    // then A = [−a₀; a_t; A_2k] has rank 2·2 + 3, and every layer and the output equal the chained model's
    assertThat(loaded.spec().rank()).isEqualTo(7);
    assertThat(loaded.size()).isEqualTo(chain.trained().size());
    for (String m : chain.trained().layers().keySet()) {
      float[] chained = model.linears().get(m).weight().add(chain.trained().weightDelta(m)).toFloatArray();
      float[] exported = original.linears().get(m).weight().add(loaded.weightDelta(m)).toFloatArray();
      assertThat(maxAbsDiff(exported, chained)).as(m).isLessThan(1e-5f * Math.max(1f, maxAbs(chained)));
    }
    assertThat(maxAbsDiff(TinyModel.output(original), adapted)).isLessThan(1e-5f * Math.max(1f, maxAbs(adapted)));
  }

  @Test
  void theFusedLoraChangesTheWeightsTheMinorComponentsAreTakenOf() throws Exception {
    // given
    Path lora2k = trainedLora(manager, folder.resolve("2k.safetensors"), 3);
    FluxTransformer plain = TinyModel.create(manager);
    FluxTransformer fused = TinyModel.create(manager);

    // when
    Adapter direct = Adapter.initMinor(plain.linears(), AdapterSpec.urae(AdapterKind.MINOR, 2), decomposer);
    AdapterChain chain = AdapterChain.fuseThenDecompose(lora2k, fused.linears(), AdapterSpec.urae(AdapterKind.MINOR, 2), decomposer);

    // then the chain decomposed W + B_2k·A_2k, not W
    String m = "transformer_blocks.0.attn.to_q";
    float[] a0Direct = ((MinorComponentAdapter) direct.adapters().get(m)).a0().toFloatArray();
    float[] a0Chained = ((MinorComponentAdapter) chain.trained().adapters().get(m)).a0().toFloatArray();
    assertThat(maxAbsDiff(a0Direct, a0Chained)).isGreaterThan(1e-3f);
  }

  @Test
  void aLoraOnOtherLayersThanTheTargetsIsRefusedNamingTheFileAndALayer() throws Exception {
    // given a LoRA on the double blocks' q projections only
    FluxTransformer other = TinyModel.create(manager);
    Path file = folder.resolve("q-only.safetensors");
    AdapterSpec qOnly = AdapterSpec.builder().setKind(AdapterKind.LORA).setRank(2).optTargets(new AdapterTargets(List.of("transformer_blocks.*.attn.to_q"))).build();
    try (Adapter lora = Adapter.initLora(other.linears(), qOnly, SeededRandom.seeded(1))) {
      DiffusersLora.export(lora, file);
    }
    FluxTransformer model = TinyModel.create(manager);
    float[] before = TinyModel.output(model);

    // when / then
    assertThatThrownBy(() -> AdapterChain.fuseThenDecompose(file, model.linears(), AdapterSpec.urae(AdapterKind.MINOR, 2), decomposer))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(file.toString()).hasMessageContaining("has no LoRA for");
    assertThat(TinyModel.output(model)).as("the model is left as it was").containsExactly(before);
    assertThat(model.linears().values()).allMatch(layer -> layer.adapter() == null);
  }
}
