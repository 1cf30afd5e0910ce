package dev.urae.model.adapter;

import static dev.urae.model.adapter.TinyModel.maxAbs;
import static dev.urae.model.adapter.TinyModel.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.svd.DecompositionCache;
import dev.urae.model.svd.MinorComponentDecomposer;
import dev.urae.model.tensors.SafeTensorsFile;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterFilesTest {
  private final NDManager manager = NDManager.newBaseManager();
  private final MinorComponentDecomposer decomposer = new MinorComponentDecomposer(DecompositionCache.none());
  @TempDir Path folder;

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void diffusersExportHasTheExpectedKeysShapesAndMetadata() throws Exception {
    // given a rank-2 LoRA with α = 8 (scale 4)
    FluxTransformer model = TinyModel.create(manager);
    Adapter lora = Adapter.initLora(model.linears(), AdapterSpec.builder().setKind(AdapterKind.LORA).setRank(2).optAlpha(8).build(), SeededRandom.seeded(1));
    TinyModel.perturb(lora, 2);
    Path file = folder.resolve("lora.safetensors");

    // when
    DiffusersLora.export(lora, file);

    // then
    try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
      assertThat(in.names()).hasSize(28).allMatch(n -> n.startsWith("transformer.") && !n.contains("processor") && !n.contains("base_model"));
      assertThat(in.entry("transformer.transformer_blocks.0.attn.to_out.0.lora_A.weight").shape().getShape()).containsExactly(2, 32);
      assertThat(in.entry("transformer.single_transformer_blocks.1.attn.to_q.lora_B.weight").shape().getShape()).containsExactly(32, 2);
      assertThat(in.metadata().get("lora_adapter_metadata")).contains("\"r\":2", "\"lora_alpha\":2", "attn.to_out.0");
      // the scale 4 is folded into B
      float[] b = lora.parameters().get("transformer_blocks.0.attn.to_k.lora_B").toFloatArray();
      float[] exported = in.floats("transformer.transformer_blocks.0.attn.to_k.lora_B.weight");
      for (int i = 0; i < b.length; i++) assertThat(exported[i]).isEqualTo(b[i] * 4f);
    }
  }

  @Test
  void loraExportLoadsBackAsTheSameAdaptedModel() throws Exception {
    // given an adapted model and its export
    FluxTransformer model = TinyModel.create(manager);
    Adapter lora = Adapter.initLora(model.linears(), AdapterSpec.builder().setKind(AdapterKind.LORA).setRank(3).optAlpha(6).build(), SeededRandom.seeded(1));
    TinyModel.perturb(lora, 7);
    float[] adapted = TinyModel.output(model);
    Path file = folder.resolve("lora.safetensors");
    DiffusersLora.export(lora, file);

    // when attached to a fresh copy of the base
    FluxTransformer fresh = TinyModel.create(manager);
    Adapter loaded = DiffusersLora.attach(file, fresh.linears());

    // then
    assertThat(loaded.size()).isEqualTo(14);
    assertThat(maxAbsDiff(TinyModel.output(fresh), adapted)).isLessThan(1e-5f * Math.max(1f, maxAbs(adapted)));
  }

  @Test
  void minorExportAppliedToTheOriginalWeightsReproducesTheAdaptedWeights() throws Exception {
    // given a trained minor-component adapter
    FluxTransformer model = TinyModel.create(manager);
    FluxTransformer original = TinyModel.create(manager);
    Adapter minor = Adapter.initMinor(model.linears(), AdapterSpec.urae(AdapterKind.MINOR, 4), decomposer);
    TinyModel.perturb(minor, 8);
    float[] adapted = TinyModel.output(model);
    Path file = folder.resolve("minor-as-lora.safetensors");

    // when exported as LoRA (A = [−a₀; a_t], B = [b₀, b_t]) and applied to the original weights
    DiffusersLora.export(minor, file);
    Adapter loaded = DiffusersLora.attach(file, original.linears());

    // then rank 2r, and W + B·A equals (W − b₀a₀) + b_t·a_t layer by layer
    assertThat(loaded.spec().rank()).isEqualTo(8);
    String m = "transformer_blocks.1.attn.to_q";
    float[] adaptedWeight = model.linears().get(m).weight().add(minor.weightDelta(m)).toFloatArray();
    float[] convertedWeight = original.linears().get(m).weight().add(loaded.weightDelta(m)).toFloatArray();
    assertThat(maxAbsDiff(convertedWeight, adaptedWeight)).isLessThan(1e-5f);
    assertThat(maxAbsDiff(TinyModel.output(original), adapted)).isLessThan(1e-4f * Math.max(1f, maxAbs(adapted)));
  }

  @Test
  void ownFormatRoundTripsBothKinds() throws Exception {
    for (AdapterKind kind : AdapterKind.values()) {
      // given
      FluxTransformer model = TinyModel.create(manager);
      Adapter adapter = kind == AdapterKind.LORA
          ? Adapter.initLora(model.linears(), AdapterSpec.urae(kind, 2), SeededRandom.seeded(3))
          : Adapter.initMinor(model.linears(), AdapterSpec.urae(kind, 2), decomposer);
      TinyModel.perturb(adapter, 9);
      float[] adapted = TinyModel.output(model);
      Path file = folder.resolve(kind.label() + ".safetensors");

      // when
      AdapterFile.save(adapter, file);
      FluxTransformer fresh = TinyModel.create(manager);
      Adapter loaded = AdapterFile.attach(file, fresh.linears());

      // then
      assertThat(loaded.kind()).isEqualTo(kind);
      assertThat(loaded.parameters().keySet()).containsExactlyElementsOf(adapter.parameters().keySet());
      assertThat(maxAbsDiff(TinyModel.output(fresh), adapted)).isLessThan(1e-5f * Math.max(1f, maxAbs(adapted)));
    }
  }
}
