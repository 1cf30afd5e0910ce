package dev.urae.model.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.Python;
import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flux.FluxConfigJson;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.pipeline.FluxCheckpointInit;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.SafeTensorsWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LoRA the adapt stage exports, on the checkpoint {@code urae model init --preset tiny} writes,
 * loads with peft onto the plain-PyTorch reference transformer (src/test/python/peft_adapter_reference.py)
 * and gives the forward output the JVM gives with the same file attached as the render stage
 * attaches it. Skipped when python3 cannot import torch, safetensors and peft.
 */
class DiffusersLoraFluxReferenceTest {
  private static final String MODULES = "torch, safetensors, peft";
  private static final int LATENT_H = 8;
  private static final int LATENT_W = 6;

  @TempDir Path dir;

  @Test
  void peftOnTheReferenceTransformerComputesWhatTheJvmComputesWithTheExportedLora() throws Exception {
    assumeTrue(Python.canImport(MODULES), "python3 cannot import " + MODULES + "; the exported LoRA is not checked against peft");
    // given the tiny checkpoint as `urae model init` writes it (bf16) and a LoRA on URAE's targets, moved off its zero start
    Path checkpoint = dir.resolve("tiny-flux");
    new FluxCheckpointInit(checkpoint, FluxCheckpointInit.Weights.RANDOM, 0, DType.BF16, FluxCheckpointInit.DEFAULT_MAX_SHARD_BYTES)
        .write(FluxPresets.TINY);
    Component transformer = Checkpoint.open(checkpoint).component("transformer");
    Path lora = dir.resolve("adapter.safetensors");
    Path io = dir.resolve("io.safetensors");
    try (NDManager manager = NDManager.newBaseManager()) {
      try (FluxTransformer trained = FluxTransformer.load(transformer, FluxConfigJson.of(transformer, null), Device.cpu(), manager)) {
        Adapter adapter = Adapter.initLora(trained.linears(), AdapterSpec.urae(AdapterKind.LORA, 4), SeededRandom.seeded(1));
        TinyModel.perturb(adapter, 3);
        DiffusersLora.export(adapter, lora);
      }
      // and the JVM's forward pass with the exported file attached to freshly loaded weights, as the render stage does
      try (FluxTransformer model = FluxTransformer.load(transformer, FluxConfigJson.of(transformer, null), Device.cpu(), manager)) {
        DiffusersLora.attach(lora, model.linears());
        SeededRandom random = SeededRandom.seeded(4);
        int tokens = (LATENT_H / 2) * (LATENT_W / 2);
        NDArray packed = random.gaussian(manager, new Shape(2, tokens, FluxPresets.TINY.inChannels()));
        NDArray txt = random.gaussian(manager, new Shape(2, 5, FluxPresets.TINY.jointAttentionDim()));
        NDArray pooled = random.gaussian(manager, new Shape(2, FluxPresets.TINY.pooledProjectionDim()));
        NDArray sigma = manager.create(new float[] {0.3f, 0.85f});
        NDArray guidance = manager.create(new float[] {1f, 1f});
        NDArray output = model.forward(packed, txt, pooled, sigma, guidance, LATENT_H, LATENT_W);
        new SafeTensorsWriter().metadata("latent_h", Integer.toString(LATENT_H)).metadata("latent_w", Integer.toString(LATENT_W))
            .add("packed", packed).add("txt", txt).add("pooled", pooled).add("sigma", sigma).add("guidance", guidance)
            .add("output", output).write(io);
      }
    }

    // when peft loads the file onto the reference transformer and runs the same inputs
    String report = Python.runFile(Path.of("src", "test", "python", "peft_adapter_reference.py"), 300,
        checkpoint.toString(), lora.toString(), io.toString());
    System.out.print(report); // the figures: max |reference - JVM|, max |reference|, and how far the adapter moves the output

    // then
    assertThat(report.trim()).as(report).endsWith("ok");
  }
}
