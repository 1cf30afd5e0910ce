package dev.urae.model.demo;

import dev.urae.model.base.BaseModel;
import dev.urae.model.base.Renderer;
import dev.urae.model.codec.IdentityCodec;
import dev.urae.model.codec.LatentCodec;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.text.TextEncoder;
import java.awt.image.BufferedImage;

/**
 * The demo world as a {@link BaseModel}: the pretrained {@link DemoBaseModel} in pixel space
 * (identity codec), native at {@link DemoWorld#LOW_RESOLUTION}, rendered by {@link PixelSampler}.
 */
public final class DemoWorldModel implements BaseModel {
  private final DemoBaseModel model;
  private final String weightsDigest;

  DemoWorldModel(DemoBaseModel model, String weightsDigest) {
    this.model = model;
    this.weightsDigest = weightsDigest;
  }

  @Override
  public String name() {
    return DemoWorldModelProvider.NAME;
  }

  @Override
  public TextEncoder textEncoder() {
    return model.textEncoder();
  }

  @Override
  public LatentCodec latentCodec() {
    return new IdentityCodec();
  }

  @Override
  public FluxTransformer transformer() {
    return model.transformer();
  }

  @Override
  public int nativeResolution() {
    return DemoWorld.LOW_RESOLUTION;
  }

  @Override
  public int trainSequenceLength() {
    return DemoWorld.TRAIN_SEQ_LEN;
  }

  /** Yes: see {@link DemoWorld#ATTENTION}. */
  @Override
  public boolean interpolatesPositions() {
    return DemoWorld.ATTENTION.positionInterpolation();
  }

  @Override
  public String weightsDigest() {
    return weightsDigest;
  }

  @Override
  public double guidanceDefault() {
    return DemoBaseModel.GUIDANCE;
  }

  @Override
  public Renderer renderer(Renderer.Settings settings) {
    PixelSampler sampler = new PixelSampler(model.transformer(), model.textEncoder(),
        new PixelSampler.Settings(settings.steps(), settings.guidance(), settings.shift(), settings.attention()));
    return new Renderer() {
      @Override
      public Image render(String prompt, int width, int height, long seed) {
        return new Render(sampler.render(prompt, width, height, seed));
      }

      @Override
      public Image refine(Image coarse, double sigma, String prompt, int width, int height, long seed) {
        return new Render(sampler.refine(((Render) coarse).image(), sigma, prompt, width, height, seed));
      }
    };
  }

  @Override
  public void close() {
    model.close();
  }

  /** A demo render, kept as floats until written or scored. */
  record Render(DemoImage image) implements Renderer.Image {
    @Override
    public BufferedImage toBufferedImage() {
      return image.toBufferedImage();
    }
  }
}
