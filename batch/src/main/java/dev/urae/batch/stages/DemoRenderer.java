package dev.urae.batch.stages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.demo.DemoImage;
import dev.urae.model.flow.FlowMatchEulerSampler;
import dev.urae.model.flow.FlowMatchSchedule;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.flux.Packing;
import dev.urae.model.text.TextEmbedding;
import dev.urae.model.text.TextEncoder;
import java.util.Arrays;

/**
 * Samples images from a FLUX-shaped model in pixel space (the demo's identity codec) with the
 * run's render settings. Coarse-to-fine starts from an upsampled coarse image re-noised to
 * {@code coarseSigma} and runs only the rest of the schedule, as training-free pipelines do.
 */
final class DemoRenderer {
  private final FluxTransformer transformer;
  private final TextEncoder encoder;
  private final RenderSettings settings;

  DemoRenderer(FluxTransformer transformer, TextEncoder encoder, RenderSettings settings) {
    this.transformer = transformer;
    this.encoder = encoder;
    this.settings = settings;
  }

  DemoImage render(String prompt, int width, int height, long seed) {
    return sample(prompt, width, height, seed, null);
  }

  /** Finishes {@code coarse} (any size) at {@code width}×{@code height} from {@code coarseSigma}. */
  DemoImage refine(DemoImage coarse, String prompt, int width, int height, long seed) {
    return sample(prompt, width, height, seed, coarse);
  }

  private DemoImage sample(String prompt, int width, int height, long seed, DemoImage coarse) {
    try (NDManager scope = transformer.manager().newSubManager()) {
      TextEmbedding text = encoder.encode(prompt, scope);
      NDArray txt = text.sequence().expandDims(0);
      NDArray pooled = text.pooled().expandDims(0);
      NDArray guidance = scope.create(new float[] {(float) settings.guidance()});
      NDArray noise = SeededRandom.seeded(seed).gaussian(scope, new Shape(1, 3, height, width));
      int tokens = (height / 2) * (width / 2);
      double[] sigmas = FlowMatchSchedule.sigmas(settings.steps(), settings.timeShift(tokens));
      NDArray start = noise;
      if (coarse != null) {
        // x_sigma = (1 - sigma) x0 + sigma noise, then only the steps below sigma
        float s = (float) settings.coarseSigma();
        NDArray x0 = upsample(coarse, width, height).toTensor(scope).expandDims(0);
        start = x0.mul(1 - s).add(noise.mul(s));
        sigmas = tail(sigmas, s);
      }
      FlowMatchEulerSampler sampler = new FlowMatchEulerSampler(sigmas);
      NDArray packed = sampler.sample((x, sigma) -> transformer.forward(x, txt, pooled,
          x.getManager().create(new float[] {sigma}), guidance, height, width, settings.attention()), Packing.pack(start));
      return DemoImage.fromTensor(Packing.unpack(packed, height, width).squeeze(0));
    }
  }

  /** {@code sigma}, then the schedule's values below it (ending at 0). */
  static double[] tail(double[] sigmas, double sigma) {
    double[] below = Arrays.stream(sigmas).filter(v -> v < sigma).toArray();
    double[] tail = new double[below.length + 1];
    tail[0] = sigma;
    System.arraycopy(below, 0, tail, 1, below.length);
    return tail;
  }

  /** Bilinear upsampling of an RGB image. */
  static DemoImage upsample(DemoImage image, int width, int height) {
    float[] out = new float[3 * width * height];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < height; y++) {
        double sy = Math.max(0, (y + 0.5) * image.height() / height - 0.5);
        int y0 = (int) sy;
        int y1 = Math.min(y0 + 1, image.height() - 1);
        double fy = sy - y0;
        for (int x = 0; x < width; x++) {
          double sx = Math.max(0, (x + 0.5) * image.width() / width - 0.5);
          int x0 = (int) sx;
          int x1 = Math.min(x0 + 1, image.width() - 1);
          double fx = sx - x0;
          double top = image.get(c, x0, y0) * (1 - fx) + image.get(c, x1, y0) * fx;
          double bottom = image.get(c, x0, y1) * (1 - fx) + image.get(c, x1, y1) * fx;
          out[(c * height + y) * width + x] = (float) (top * (1 - fy) + bottom * fy);
        }
      }
    }
    return new DemoImage(width, height, out);
  }
}
