package dev.urae.model.pipeline;

import ai.djl.ndarray.NDManager;
import dev.urae.model.base.BaseModel;
import dev.urae.model.base.Renderer;
import dev.urae.model.codec.LatentCodec;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.text.FluxTextEncoder;
import dev.urae.model.text.TextEncoder;
import dev.urae.model.vae.AutoencoderKl;

/**
 * A loaded FLUX.1 checkpoint as the stages see it: T5 + CLIP text encoding, the VAE as latent
 * codec (FLUX's scaling and shift; the 2×2 packing happens where the transformer is called),
 * the transformer, and {@link FluxRenderer}.
 */
final class FluxBaseModel implements BaseModel {
  private final FluxBaseModelProvider provider;
  private final NDManager manager;
  private final FluxTransformer transformer;
  private final FluxTextEncoder text;
  private final AutoencoderKl codec;
  private final int trainSequenceLength;
  private final String weightsDigest;
  private final double guidanceDefault;

  FluxBaseModel(FluxBaseModelProvider provider, NDManager manager, FluxTransformer transformer, FluxTextEncoder text, AutoencoderKl codec,
      int trainSequenceLength, String weightsDigest, double guidanceDefault) {
    this.provider = provider;
    this.manager = manager;
    this.transformer = transformer;
    this.text = text;
    this.codec = codec;
    this.trainSequenceLength = trainSequenceLength;
    this.weightsDigest = weightsDigest;
    this.guidanceDefault = guidanceDefault;
  }

  @Override
  public String name() {
    return provider.name();
  }

  @Override
  public TextEncoder textEncoder() {
    return text;
  }

  @Override
  public LatentCodec latentCodec() {
    return codec;
  }

  @Override
  public FluxTransformer transformer() {
    return transformer;
  }

  @Override
  public int nativeResolution() {
    return provider.nativeResolution();
  }

  /** T5 tokens (512 for dev, 256 for schnell) plus the image tokens at the native resolution: 4,608 for FLUX.1-dev. */
  @Override
  public int trainSequenceLength() {
    return trainSequenceLength;
  }

  @Override
  public String weightsDigest() {
    return weightsDigest;
  }

  /** 3.5 with a guidance embedder (FLUX.1-dev); 0 without one (schnell), where it is not an input at all. */
  @Override
  public double guidanceDefault() {
    return guidanceDefault;
  }

  @Override
  public Renderer renderer(Renderer.Settings settings) {
    return new FluxRenderer(transformer, text, codec, settings);
  }

  @Override
  public void close() {
    text.close();
    codec.close();
    transformer.close();
    manager.close();
  }
}
