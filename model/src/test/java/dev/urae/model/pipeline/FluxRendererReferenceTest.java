package dev.urae.model.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.Python;
import dev.urae.model.base.BaseModel;
import dev.urae.model.base.BaseModels;
import dev.urae.model.base.Renderer;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flow.TimeShift;
import dev.urae.model.flux.AttentionSettings;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.image.ImageTensors;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.SafeTensorsWriter;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole FLUX render (tokenizers, CLIP and T5, sampling, VAE decode) against
 * {@code src/test/python/render_reference.py}: transformers' tokenizers and text encoders, the
 * plain-PyTorch FLUX transformer and VAE, from the JVM's noise; the images agree within one
 * 8-bit level.
 */
class FluxRendererReferenceTest {
  private static final String MODULES = "torch, safetensors, transformers";
  @TempDir Path dir;

  @Test
  void aRenderMatchesThePythonPipeline() throws Exception {
    assumeTrue(Python.canImport(MODULES), "python3 cannot import " + MODULES + "; the render is not checked against the reference");
    // given the tiny checkpoint init writes, and a render's settings
    Path checkpoint = dir.resolve("tiny");
    new FluxCheckpointInit(checkpoint, FluxCheckpointInit.Weights.RANDOM, 3, DType.F32, FluxCheckpointInit.DEFAULT_MAX_SHARD_BYTES)
        .write(FluxPresets.TINY);
    String prompt = "a small red circle at the top left";
    int width = 24;
    int height = 16;
    long seed = 9;
    try (NDManager manager = NDManager.newBaseManager();
         BaseModel model = BaseModels.load(checkpoint.toString(), manager, new PrintStream(OutputStream.nullOutputStream()))) {
      // when
      Renderer renderer = model.renderer(new Renderer.Settings(3, 3.5, n -> TimeShift.fixed(3.0), AttentionSettings.DEFAULT));
      var image = renderer.render(prompt, width, height, seed).toBufferedImage();

      // then the reference, from the same noise, renders the same image
      int f = model.latentCodec().downsampling();
      Path io = dir.resolve("io.safetensors");
      new SafeTensorsWriter()
          .metadata("prompt", prompt).metadata("steps", "3").metadata("guidance", "3.5").metadata("shift", "3.0")
          .metadata("width", Integer.toString(width)).metadata("height", Integer.toString(height))
          .add("noise", SeededRandom.seeded(seed).gaussian(manager, new Shape(1, model.latentCodec().latentChannels(), height / f, width / f)))
          .add("jvm_image", ImageTensors.toTensor(image, manager))
          .write(io);
      String report = Python.runFile(Path.of("src", "test", "python", "render_reference.py"), 300, checkpoint.toString(), io.toString());
      System.out.print(report);
      assertThat(report).contains("ok");
    }
  }
}
