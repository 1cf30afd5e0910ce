package dev.urae.model.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import dev.urae.model.Python;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.svd.DecompositionCache;
import dev.urae.model.svd.MinorComponentDecomposer;
import dev.urae.model.tensors.SafeTensorsWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The diffusers export loads the way diffusers loads a LoRA into a FLUX transformer: the
 * {@code transformer.} prefix stripped, a peft {@code LoraConfig} from {@code
 * lora_adapter_metadata}, {@code inject_adapter_in_model} and {@code set_peft_model_state_dict}
 * on the original weights; the layers then compute exactly our adapted weights. Skipped when
 * python3 cannot import torch, safetensors and peft.
 */
class DiffusersLoraPeftInteropTest {
  private static final String SCRIPT = String.join("\n",
      "import sys, json, torch",
      "from safetensors import safe_open",
      "from safetensors.torch import load_file",
      "from peft import LoraConfig, inject_adapter_in_model, set_peft_model_state_dict",
      "lora_path, base_path, expected_path = sys.argv[1:4]",
      "with safe_open(lora_path, 'pt') as f: config = json.loads(f.metadata()['lora_adapter_metadata'])",
      "lora, base, expected = load_file(lora_path), load_file(base_path), load_file(expected_path)",
      "assert all(k.startswith('transformer.') for k in lora), 'a key outside transformer.'",
      "modules = sorted({k[len('transformer.'):-len('.lora_A.weight')] for k in lora if k.endswith('.lora_A.weight')})",
      "root = torch.nn.Module()",
      "for name in modules:",
      "    w, b = base[name + '.weight'], base.get(name + '.bias')",
      "    linear = torch.nn.Linear(w.shape[1], w.shape[0], bias=b is not None)",
      "    with torch.no_grad():",
      "        linear.weight.copy_(w)",
      "        if b is not None: linear.bias.copy_(b)",
      "    parent = root",
      "    for part in name.split('.')[:-1]:",
      "        if part not in parent._modules: parent.add_module(part, torch.nn.Module())",
      "        parent = parent._modules[part]",
      "    parent.add_module(name.split('.')[-1], linear)",
      "lora_config = LoraConfig(r=config['r'], lora_alpha=config['lora_alpha'], target_modules=config['target_modules'])",
      "root = inject_adapter_in_model(lora_config, root)",
      "result = set_peft_model_state_dict(root, {k[len('transformer.'):]: v for k, v in lora.items()})",
      "assert not result.unexpected_keys, result.unexpected_keys",
      "worst = 0.0",
      "for name in modules:",
      "    layer = root.get_submodule(name)",
      "    assert hasattr(layer, 'base_layer'), name + ' was not adapted'",
      "    with torch.no_grad():",
      "        bias = layer.base_layer.bias if layer.base_layer.bias is not None else 0",
      "        effective = (layer(torch.eye(layer.in_features)) - bias).T",
      "    worst = max(worst, (effective - expected[name]).abs().max().item())",
      "print('ok', len(modules), worst)");

  private final NDManager manager = NDManager.newBaseManager();
  @TempDir Path folder;

  @AfterEach
  void close() {
    manager.close();
  }

  @ParameterizedTest
  @EnumSource(AdapterKind.class)
  void peftLoadsTheExportOntoTheOriginalWeightsAsOurAdaptedWeights(AdapterKind kind) throws Exception {
    assumeTrue(Python.canImport("torch, safetensors, peft"), "python3 cannot import torch, safetensors and peft; peft interop not checked");

    // given a trained adapter (LoRA with α ≠ r, or minor components exported at rank 2r)
    FluxTransformer model = TinyModel.create(manager);
    Adapter adapter = kind == AdapterKind.LORA
        ? Adapter.initLora(model.linears(), AdapterSpec.builder().setKind(kind).setRank(3).optAlpha(6).build(), SeededRandom.seeded(2))
        : Adapter.initMinor(model.linears(), AdapterSpec.urae(kind, 4), new MinorComponentDecomposer(DecompositionCache.none()));
    TinyModel.perturb(adapter, 11);
    Path lora = folder.resolve("lora.safetensors");
    DiffusersLora.export(adapter, lora);

    // then
    assertPeftComputesOurWeights(adapter, lora);
  }

  @Test
  void peftLoadsTheChainedExportOntoTheOriginalWeightsAsTheChainedModel() throws Exception {
    assumeTrue(Python.canImport("torch, safetensors, peft"), "python3 cannot import torch, safetensors and peft; peft interop not checked");

    // given minor components trained on the base with a 2K LoRA fused in (URAE's 2K -> 4K chain)
    Path lora2k = AdapterChainTest.trainedLora(manager, folder.resolve("2k.safetensors"), 3);
    FluxTransformer model = TinyModel.create(manager);
    AdapterChain chain = AdapterChain.fuseThenDecompose(lora2k, model.linears(), AdapterSpec.urae(AdapterKind.MINOR, 2),
        new MinorComponentDecomposer(DecompositionCache.none()));
    TinyModel.perturb(chain.trained(), 12);
    Path lora = folder.resolve("chain.safetensors");
    chain.export(lora);

    // then peft puts A = [−a₀; a_t; A_2k], B = [b₀, b_t, B_2k] on the original weights and gets the chained model's
    assertPeftComputesOurWeights(chain.trained(), lora);
  }

  /**
   * Runs peft on {@code lora} over the original tiny model's weights and checks that every layer
   * {@code adapter} adapts computes the weight {@code adapter} gives it (current weight + update).
   */
  private void assertPeftComputesOurWeights(Adapter adapter, Path lora) throws Exception {
    // the original weights of the adapted layers, and the weights our adapter makes of them
    FluxTransformer original = TinyModel.create(manager);
    SafeTensorsWriter base = new SafeTensorsWriter();
    SafeTensorsWriter expected = new SafeTensorsWriter();
    for (String module : adapter.layers().keySet()) {
      AdaptableLinear layer = original.linears().get(module);
      base.add(module + ".weight", layer.weight());
      if (layer.hasBias()) base.add(module + ".bias", layer.bias());
      expected.add(module, adapter.layers().get(module).weight().add(adapter.weightDelta(module)));
    }
    base.write(folder.resolve("base.safetensors"));
    expected.write(folder.resolve("expected.safetensors"));

    String output = Python.run(SCRIPT, lora.toString(), folder.resolve("base.safetensors").toString(),
        folder.resolve("expected.safetensors").toString()).strip();

    // every adapted layer was loaded and computes our weights
    String[] last = output.lines().reduce((a, b) -> b).orElse("").split(" ");
    assertThat(last[0]).as(output).isEqualTo("ok");
    assertThat(Integer.parseInt(last[1])).isEqualTo(adapter.size());
    assertThat(Double.parseDouble(last[2])).as("max |peft weight − ours|").isLessThan(1e-5);
  }
}
