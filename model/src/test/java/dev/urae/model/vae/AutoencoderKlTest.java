package dev.urae.model.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.urae.model.Approx;
import dev.urae.model.Python;
import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.codec.LatentPosterior;
import dev.urae.model.component.RandomComponent;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.SafeTensorsFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JVM's VAE against the plain-PyTorch AutoencoderKL written from the published architecture
 * ({@code src/test/python/vae_reference.py}): the reference loads a component the JVM's random
 * init wrote (and must use every tensor in it), redraws every value, and computes the posterior
 * and the decoder's output; the JVM loads the redrawn component and matches within 1e-4
 * relative. Shapes: FLUX's architecture at toy widths, and a Stable-Diffusion-like one (quant
 * convs, three blocks, two layers each, width changes inside the decoder).
 */
class AutoencoderKlTest {
  @TempDir Path dir;

  static List<VaeConfig> configs() {
    return List.of(VaeConfig.TINY, new VaeConfig(3, 3, 4, List.of(16, 32, 32), 2, 8, 0.18215, 0, true, true, true));
  }

  @ParameterizedTest
  @MethodSource("configs")
  void encoderAndDecoderMatchThePyTorchReference(VaeConfig config) throws Exception {
    assumeTrue(Python.canImport("torch, safetensors"), "python3 cannot import torch and safetensors; VAE cross-check skipped");
    // given a random component written by the JVM, redrawn and evaluated by the reference
    RandomComponent.write(config, dir.resolve("init"), 3, DType.F32);
    Path vae = dir.resolve("vae");
    Python.runFile(Path.of("src", "test", "python", "vae_references.py"), 600, dir.resolve("init").toString(), vae.toString());

    try (NDManager manager = NDManager.newBaseManager();
         AutoencoderKl model = AutoencoderKl.load(Checkpoint.open(vae).component("vae"), Device.cpu(), manager, "test");
         SafeTensorsFile expected = SafeTensorsFile.open(dir.resolve("expected.safetensors"))) {
      assertThat(model.config()).isEqualTo(config);
      for (String prefix : List.of("", "large_")) {
        // when
        LatentPosterior posterior = model.encodeRawPosterior(expected.load(prefix + "images", manager));

        // then
        Approx.assertClose(prefix + "mean", posterior.mean(), expected.load(prefix + "mean", manager), 1e-4);
        Approx.assertClose(prefix + "std", posterior.std(), expected.load(prefix + "std", manager), 1e-4);
        Approx.assertClose(prefix + "decoded", model.decodeRaw(expected.load(prefix + "latents", manager)), expected.load(prefix + "decoded", manager), 1e-4);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void posteriorInTheTransformersSpaceIsTheRawOneNormalised() throws Exception {
    // given a random tiny VAE and an image
    RandomComponent.write(VaeConfig.TINY, dir.resolve("vae"), 5, DType.F32);
    try (NDManager manager = NDManager.newBaseManager();
         AutoencoderKl model = AutoencoderKl.load(Checkpoint.open(dir.resolve("vae")).component("vae"), Device.cpu(), manager, "test")) {
      var images = manager.randomUniform(-1f, 1f, new ai.djl.ndarray.types.Shape(1, 3, 16, 16));

      // when
      LatentPosterior raw = model.encodeRawPosterior(images);
      LatentPosterior posterior = model.encodePosterior(images);

      // then the mean is what encode gives, the std is scaled like the latents
      Approx.assertClose("mean", posterior.mean(), model.encode(images), 1e-6);
      Approx.assertClose("std", posterior.std(), raw.std().mul(0.3611f), 1e-6);
      assertThat(posterior.std().min().getFloat()).isGreaterThan(0f);
    }
  }
}
