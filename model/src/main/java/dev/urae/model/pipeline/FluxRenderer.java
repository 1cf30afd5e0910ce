package dev.urae.model.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.base.Renderer;
import dev.urae.model.codec.LatentCodec;
import dev.urae.model.flow.FlowMatchEulerSampler;
import dev.urae.model.flow.FlowMatchSchedule;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.flux.Packing;
import dev.urae.model.image.ImageTensors;
import dev.urae.model.nn.Constants;
import dev.urae.model.text.TextEmbedding;
import dev.urae.model.text.TextEncoder;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * FLUX.1 text-to-image sampling as diffusers' {@code FluxPipeline} runs it: Gaussian noise
 * {@code [1, C, H/f, W/f]} from the seed, packed 2×2 into tokens; flow-matching Euler steps along
 * the settings' shifted schedule (the shift chosen by the image token count); the guidance value
 * as the transformer's input when it has a guidance embedder (FLUX.1-dev), none otherwise
 * (schnell); then unpacking, the VAE decode and clamping to [−1, 1]. {@link #refine} upsamples a
 * coarse render, encodes it, re-noises it to σ and runs only the schedule below σ.
 */
final class FluxRenderer implements Renderer {
  private final FluxTransformer transformer;
  private final TextEncoder text;
  private final LatentCodec codec;
  private final Settings settings;

  FluxRenderer(FluxTransformer transformer, TextEncoder text, LatentCodec codec, Settings settings) {
    this.transformer = transformer;
    this.text = text;
    this.codec = codec;
    this.settings = Objects.requireNonNull(settings, "settings == null");
  }

  @Override
  public Image render(String prompt, int width, int height, long seed) {
    return sample(prompt, width, height, seed, null, 1);
  }

  @Override
  public Image refine(Image coarse, double sigma, String prompt, int width, int height, long seed) {
    if (!(sigma > 0 && sigma < 1)) throw new IllegalArgumentException("sigma must be between 0 and 1, got " + sigma);
    return sample(prompt, width, height, seed, Objects.requireNonNull(coarse, "coarse == null").toBufferedImage(), sigma);
  }

  private Image sample(String prompt, int width, int height, long seed, BufferedImage coarse, double startSigma) {
    int grid = 2 * codec.downsampling();
    if (width < grid || height < grid || width % grid != 0 || height % grid != 0) {
      throw new IllegalArgumentException("width and height must be positive multiples of " + grid + " (VAE downsampling x 2x2 packing), got "
          + width + "x" + height);
    }
    int latentH = height / codec.downsampling();
    int latentW = width / codec.downsampling();
    try (NDManager scope = transformer.manager().newSubManager()) {
      TextEmbedding embedding = text.encode(prompt, scope);
      NDArray txt = embedding.sequence().expandDims(0);
      NDArray pooled = embedding.pooled().expandDims(0);
      NDArray guidance = transformer.config().guidanceEmbeds() ? scope.create(new float[] {(float) settings.guidance()}) : null;
      NDArray noise = SeededRandom.seeded(seed).gaussian(scope, new Shape(1, codec.latentChannels(), latentH, latentW));
      double[] sigmas = FlowMatchSchedule.sigmas(settings.steps(), settings.shift().apply((latentH / 2) * (latentW / 2)));
      NDArray start = noise;
      if (coarse != null) {
        // x_σ = (1 − σ)·x₀ + σ·ε, then only the steps below σ
        NDArray x0 = codec.encode(ImageTensors.toTensor(resize(coarse, width, height), scope).expandDims(0));
        start = Constants.times(x0, (float) (1 - startSigma)).add(Constants.times(noise, (float) startSigma));
        sigmas = FlowMatchSchedule.from(sigmas, startSigma);
      }
      NDArray packed = new FlowMatchEulerSampler(sigmas).sample((x, sigma) -> transformer.forward(x, txt, pooled,
          x.getManager().create(new float[] {sigma}), guidance, latentH, latentW, settings.attention()), Packing.pack(start));
      NDArray pixels = codec.decode(Packing.unpack(packed, latentH, latentW)).clip(-1f, 1f);
      return new Render(ImageTensors.toImage(pixels));
    }
  }

  /** Bilinear resampling to {@code width}×{@code height}. */
  private static BufferedImage resize(BufferedImage image, int width, int height) {
    if (image.getWidth() == width && image.getHeight() == height) return image;
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** A decoded render, 8 bits per channel. */
  record Render(BufferedImage image) implements Image {
    @Override
    public BufferedImage toBufferedImage() {
      return image;
    }
  }
}
