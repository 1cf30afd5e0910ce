package dev.urae.model.adapter;

import static dev.urae.model.adapter.TinyModel.maxAbs;
import static dev.urae.model.adapter.TinyModel.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flux.FluxLayout;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.svd.DecompositionCache;
import dev.urae.model.svd.KnownSpectrum;
import dev.urae.model.svd.LapackSvd;
import dev.urae.model.svd.SingularTriplets;
import dev.urae.model.svd.MinorComponentDecomposer;
import dev.urae.model.tensors.TensorSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdapterTest {
  private final NDManager manager = NDManager.newBaseManager();
  private final MinorComponentDecomposer decomposer = new MinorComponentDecomposer(DecompositionCache.none());

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void uraeTargetsAre190LayersOnFluxDev() {
    // given the flux-dev layout, described without allocating weights
    List<String> modules = new ArrayList<>();
    for (TensorSpec t : FluxLayout.of(FluxPresets.FLUX_DEV).tensors()) {
      if (t.name().endsWith(".weight") && t.shape().dimension() == 2) modules.add(t.name().substring(0, t.name().length() - 7));
    }

    // when
    List<String> targets = AdapterTargets.URAE.select(modules);

    // then 19 double blocks × 4 + 38 single blocks × 3
    assertThat(targets).hasSize(190);
    assertThat(targets).contains("transformer_blocks.18.attn.to_out.0", "single_transformer_blocks.37.attn.to_v");
    assertThat(targets).noneMatch(m -> m.contains("add_q_proj") || m.contains("to_add_out") || m.contains("proj_mlp"));
  }

  @Test
  void loraLeavesTheOutputExactlyUnchangedAtInitialisation() {
    // given
    FluxTransformer model = TinyModel.create(manager);
    float[] base = TinyModel.output(model);

    // when
    Adapter lora = Adapter.initLora(model.linears(), AdapterSpec.urae(AdapterKind.LORA, 4), SeededRandom.seeded(1));

    // then
    assertThat(lora.size()).isEqualTo(2 * 4 + 2 * 3);
    assertThat(TinyModel.output(model)).containsExactly(base);
    float[] a = lora.parameters().get("transformer_blocks.0.attn.to_q.lora_A").toFloatArray();
    assertThat(maxAbs(a)).isGreaterThan(0f).isLessThan(2f); // gaussian with std 1/r
  }

  @Test
  void minorComponentsLeaveTheOutputUnchangedToFloatPrecision() {
    // given
    FluxTransformer model = TinyModel.create(manager);
    float[] base = TinyModel.output(model);

    // when
    Adapter minor = Adapter.initMinor(model.linears(), AdapterSpec.urae(AdapterKind.MINOR, 4), decomposer);

    // then
    assertThat(maxAbsDiff(TinyModel.output(model), base)).isLessThan(1e-5f * Math.max(1f, maxAbs(base)));
    assertThat(minor.parameterCount()).isEqualTo(14L * 4 * (32 + 32));
  }

  @Test
  void frozenWeightPlusTheMinorProductIsTheOriginalWeight() {
    // given
    FluxTransformer model = TinyModel.create(manager);
    AdaptableLinear layer = model.linears().get("single_transformer_blocks.1.attn.to_k");
    float[] original = layer.weight().toFloatArray();

    // when W ← W − b·a
    Adapter minor = Adapter.initMinor(model.linears(), AdapterSpec.urae(AdapterKind.MINOR, 3), decomposer);

    // then (W − b·a) + b·a = W
    NDArray rebuilt = layer.weight().add(minor.weightDelta("single_transformer_blocks.1.attn.to_k"));
    assertThat(maxAbsDiff(rebuilt.toFloatArray(), original)).isLessThan(1e-6f);
    assertThat(maxAbsDiff(layer.weight().toFloatArray(), original)).isGreaterThan(0f);
  }

  @Test
  void minorSetUpOnTheDeviceEqualsLapacksDecompositionOnTheHeap() {
    // given a model and, per target, the set-up as it was done before: the weight copied to the heap, LAPACK's sgesdd
    FluxTransformer model = TinyModel.create(manager);
    AdapterSpec spec = AdapterSpec.urae(AdapterKind.MINOR, 4);
    Map<String, float[]> lapackProducts = new LinkedHashMap<>();
    for (String module : spec.targets().select(model.linears().keySet())) {
      AdaptableLinear layer = model.linears().get(module);
      SingularTriplets t = LapackSvd.decompose(layer.weight().toFloatArray(), layer.outFeatures(), layer.inFeatures()).smallest(4);
      NDArray[] pair = Adapter.minorPair(manager, t);
      lapackProducts.put(module, pair[0].matMul(pair[1]).toFloatArray());
    }

    // when
    Adapter minor = Adapter.initMinor(model.linears(), spec, decomposer);

    // then every layer's b₀·a₀ is LAPACK's (a rank-4 product is unique up to float rounding when the 4th and 5th
    // smallest singular values differ; singular vectors' signs may not agree, so products are compared)
    assertThat(minor.size()).isEqualTo(lapackProducts.size());
    for (Map.Entry<String, float[]> e : lapackProducts.entrySet()) {
      float[] product = minor.weightDelta(e.getKey()).toFloatArray();
      assertThat(maxAbsDiff(product, e.getValue())).as(e.getKey()).isLessThan(1e-5f * Math.max(1f, maxAbs(e.getValue())));
    }
  }

  @Test
  void minorSetUpKeepsOnlyTheFactorsBesideTheModel() {
    // given
    FluxTransformer model = TinyModel.create(manager);
    long before = managedBytes(manager);

    // when
    Adapter minor = Adapter.initMinor(model.linears(), AdapterSpec.urae(AdapterKind.MINOR, 4), decomposer);

    // then the model's memory grew by a, b and their frozen starting values a₀, b₀: no b₀·a₀ product, no second weight
    assertThat(managedBytes(manager) - before).isEqualTo(2 * minor.parameterCount() * Float.BYTES);
  }

  private static long managedBytes(NDManager manager) {
    long bytes = 0;
    for (NDArray array : ((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays()) {
      if (!array.isReleased()) bytes += array.size() * array.getDataType().getNumOfBytes();
    }
    return bytes;
  }

  @Test
  void minorComponentsAreTheSmallestSingularTriplets() {
    // given a layer whose weight has a known spectrum 10..1 (4 smallest: 4, 3, 2, 1)
    double[] spectrum = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    KnownSpectrum known = new KnownSpectrum(12, 10, spectrum, 21);
    AdaptableLinear layer = new AdaptableLinear(manager, manager.create(known.matrix(), new ai.djl.ndarray.types.Shape(12, 10)), null);
    Map<String, AdaptableLinear> linears = new LinkedHashMap<>();
    linears.put("transformer_blocks.0.attn.to_q", layer);

    // when
    Adapter minor = Adapter.initMinor(linears, AdapterSpec.urae(AdapterKind.MINOR, 4), decomposer);

    // then b·a is the reference's rank-4 tail and the frozen weight its head
    MinorComponentAdapter m = (MinorComponentAdapter) minor.adapters().get("transformer_blocks.0.attn.to_q");
    assertThat(maxAbsDiff(m.b().matMul(m.a()).toFloatArray(), known.product(6, 10))).isLessThan(1e-5f);
    assertThat(maxAbsDiff(layer.weight().toFloatArray(), known.product(0, 6))).isLessThan(1e-5f);
    // and b₀ = U·sqrt(S): its column norms are sqrt of the singular values
    float[] b = m.b0().toFloatArray();
    double norm = 0;
    for (int i = 0; i < 12; i++) norm += b[i * 4 + 3] * b[i * 4 + 3];
    assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void mergeThenUnmergeRestoresTheAdaptedModel() {
    // given a trained (perturbed) LoRA
    FluxTransformer model = TinyModel.create(manager);
    Adapter lora = Adapter.initLora(model.linears(), AdapterSpec.builder().setKind(AdapterKind.LORA).setRank(2).optAlpha(4).build(), SeededRandom.seeded(2));
    TinyModel.perturb(lora, 3);
    float[] adapted = TinyModel.output(model);
    float[] weight = model.linears().get("transformer_blocks.1.attn.to_v").weight().toFloatArray();

    // when merged
    lora.merge();
    float[] merged = TinyModel.output(model);
    // and unmerged
    lora.unmerge();

    // then
    assertThat(model.linears().get("transformer_blocks.1.attn.to_v").adapter()).isNotNull();
    assertThat(maxAbsDiff(merged, adapted)).isLessThan(1e-4f);
    assertThat(maxAbsDiff(model.linears().get("transformer_blocks.1.attn.to_v").weight().toFloatArray(), weight)).isLessThan(1e-6f);
    assertThat(maxAbsDiff(TinyModel.output(model), adapted)).isLessThan(1e-4f);
  }

  @Test
  void fusingALoraThenInitialisingMinorComponentsKeepsTheFusedModel() {
    // given a LoRA fused into the base (URAE's 2K → 4K order)
    FluxTransformer model = TinyModel.create(manager);
    Adapter lora = Adapter.initLora(model.linears(), AdapterSpec.urae(AdapterKind.LORA, 2), SeededRandom.seeded(4));
    TinyModel.perturb(lora, 5);
    lora.merge();
    lora.close();
    float[] fused = TinyModel.output(model);

    // when
    Adapter minor = Adapter.initMinor(model.linears(), AdapterSpec.urae(AdapterKind.MINOR, 2), decomposer);

    // then
    assertThat(minor.size()).isEqualTo(14);
    assertThat(maxAbsDiff(TinyModel.output(model), fused)).isLessThan(1e-5f * Math.max(1f, maxAbs(fused)));
  }
}
