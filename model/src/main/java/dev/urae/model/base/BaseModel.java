package dev.urae.model.base;

import dev.urae.model.codec.LatentCodec;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.text.TextEncoder;

/**
 * The base model a run adapts, as the stages see it: text encoding, the latent codec, the
 * transformer the adapter attaches to, rendering, and the facts a run records (native
 * resolution, weights digest, guidance default). The demo world is one implementation; FLUX.1 is
 * the next. Implementations are found by name through {@link BaseModelProvider}.
 */
public interface BaseModel extends AutoCloseable {

  /** The name runs use for it ({@code model} option), e.g. {@code demo}. */
  String name();

  /** Turns prompts into the transformer's text conditioning. */
  TextEncoder textEncoder();

  /** Maps images to the latents the transformer works on and back. */
  LatentCodec latentCodec();

  /** The transformer adapters attach to and train on. */
  FluxTransformer transformer();

  /** The side, in pixels, of the images the model was trained at (1024 for FLUX.1-dev). */
  int nativeResolution();

  /**
   * The transformer's own token count at its native resolution, text included (4,608 for
   * FLUX.1-dev at 1024²): the base of proportional attention's scale, computed per model.
   */
  int trainSequenceLength();

  /**
   * The image tokens at the native resolution (FLUX.1-dev at 1024²: 64·64 = 4,096; the demo
   * model at 32²: 16·16 = 256): what position interpolation maps a larger grid onto.
   */
  default int nativeImageTokens() {
    int side = nativeResolution() / (2 * latentCodec().downsampling());
    return side * side;
  }

  /**
   * Whether runs interpolate RoPE positions above the native resolution unless told otherwise
   * (options {@code adapt.position-interpolation} and {@code render.position-interpolation} at
   * {@code auto}): not for FLUX.1, which URAE adapts with NTK scaling alone.
   */
  default boolean interpolatesPositions() {
    return false;
  }

  /** Names the loaded weights ({@code sha256:<hex>}); the same as its provider's digest. */
  String weightsDigest();

  /** The guidance a render uses unless a run says otherwise (3.5 for guidance-distilled FLUX.1-dev). */
  double guidanceDefault();

  /** A renderer of this model (and of any adapter attached to its transformer) with {@code settings}. */
  Renderer renderer(Renderer.Settings settings);

  @Override
  void close();
}
