package dev.urae.model.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.Python;
import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.flux.FluxConfigJson;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.SafeTensorsWriter;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint written by {@code urae model init} loads into the plain-PyTorch references
 * (src/test/python/init_references.py): its transformer into flux_reference.py with no missing or
 * unexpected tensor and the same forward output as the JVM's, its VAE into vae_reference.py
 * with every tensor used.
 */
class FluxCheckpointInitReferencesTest {
  private static final String MODULES = "torch, safetensors";
  private static final int LATENT_H = 8;
  private static final int LATENT_W = 6;

  @TempDir Path dir;

  @Test
  void initCheckpointLoadsIntoThePyTorchReferencesAndMatchesTheJvmForward() throws Exception {
    assumeTrue(Python.canImport(MODULES), "python3 cannot import " + MODULES + "; the init checkpoint is not checked against the references");
    // given a tiny init checkpoint in F32 (bf16 round-off would blur the comparison), its transformer in several shards
    Path checkpointDir = dir.resolve("checkpoint");
    new FluxCheckpointInit(checkpointDir, FluxCheckpointInit.Weights.RANDOM, 11, DType.F32, 200_000).write(FluxPresets.TINY);
    Component transformer = Checkpoint.open(checkpointDir).component("transformer");
    assertThat(transformer.location().resolve("diffusion_pytorch_model.safetensors.index.json")).exists();

    // and the JVM's forward pass on fixed inputs, written beside it
    Path io = dir.resolve("io.safetensors");
    try (NDManager manager = NDManager.newBaseManager();
        FluxTransformer model = FluxTransformer.load(transformer, FluxConfigJson.of(transformer, null), Device.cpu(), manager)) {
      Random random = new Random(3);
      int tokens = (LATENT_H / 2) * (LATENT_W / 2);
      NDArray packed = normal(manager, random, new Shape(2, tokens, FluxPresets.TINY.inChannels()));
      NDArray txt = normal(manager, random, new Shape(2, 5, FluxPresets.TINY.jointAttentionDim()));
      NDArray pooled = normal(manager, random, new Shape(2, FluxPresets.TINY.pooledProjectionDim()));
      NDArray sigma = manager.create(new float[] {0.3f, 0.85f});
      NDArray guidance = manager.create(new float[] {1f, 3.5f});
      NDArray output = model.forward(packed, txt, pooled, sigma, guidance, LATENT_H, LATENT_W);
      new SafeTensorsWriter()
          .metadata("latent_h", Integer.toString(LATENT_H))
          .metadata("latent_w", Integer.toString(LATENT_W))
          .add("packed", packed).add("txt", txt).add("pooled", pooled).add("sigma", sigma).add("guidance", guidance)
          .add("output", output)
          .write(io);
    }

    // when the references load it and run the same inputs
    String report = Python.runFile(Path.of("src", "test", "python", "init_references.py"), 300, checkpointDir.toString(), io.toString());
    System.out.print(report); // the figures: max |reference - JVM| against max |reference|

    // then
    assertThat(report.trim()).as(report).endsWith("ok");
  }

  private static NDArray normal(NDManager manager, Random random, Shape shape) {
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) values[i] = (float) random.nextGaussian();
    return manager.create(values, shape);
  }
}
