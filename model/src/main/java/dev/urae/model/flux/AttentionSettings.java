package dev.urae.model.flux;

/**
 * The resolution knobs of attention: NTK-aware RoPE ({@code ntkFactor} multiplies theta),
 * proportional attention (scale {@code sqrt(log_{trainSeqLen}(N) / headDim)} with N the total
 * token count, instead of {@code 1/sqrt(headDim)}) and position interpolation. Immutable.
 *
 * <p>{@code trainSeqLen} is the base model's own token count at its native resolution: its text
 * tokens plus its image tokens there (FLUX.1-dev: 512 + 64·64 = 4,608; the demo model: 38 +
 * 16·16 = 294). It belongs to the model, so there is no default: proportional attention cannot
 * be switched on without it (0 = not given).
 *
 * <p>Position interpolation (Chen et al., 2023, "Extending context window ... via positional
 * interpolation") scales the RoPE positions of an image grid larger than the model's native one
 * by {@code sqrt(nativeImageTokens / tokens)}, so that they span the positions the model was
 * trained on instead of running past them; at or below the native size it changes nothing.
 * NTK scaling slows only the low RoPE frequencies, which is enough where they barely turn across
 * the native grid (FLUX: θ 10,000); a model whose lowest frequency turns most of a radian there
 * (the demo model: θ 36) places objects by angles it has never seen without it.
 * {@code nativeImageTokens} is the model's image token count at its native resolution (0 = not
 * given).
 */
public record AttentionSettings(double ntkFactor, boolean proportionalAttention, int trainSeqLen, boolean positionInterpolation,
    int nativeImageTokens) {
  /** Plain FLUX: ntk factor 1, scale 1/sqrt(headDim), positions as they are. */
  public static final AttentionSettings DEFAULT = new AttentionSettings(1.0, false, 0, false, 0);

  public AttentionSettings {
    if (!(ntkFactor > 0)) throw new IllegalArgumentException("ntkFactor must be positive, got " + ntkFactor);
    if (trainSeqLen != 0 && trainSeqLen < 2) throw new IllegalArgumentException("trainSeqLen must be at least 2, got " + trainSeqLen);
    if (proportionalAttention && trainSeqLen == 0) {
      throw new IllegalArgumentException("proportional attention needs the base model's training length (text + image tokens at its native resolution)");
    }
    if (nativeImageTokens < 0) throw new IllegalArgumentException("nativeImageTokens must not be negative, got " + nativeImageTokens);
    if (positionInterpolation && nativeImageTokens == 0) {
      throw new IllegalArgumentException("position interpolation needs the base model's image token count at its native resolution");
    }
  }

  /** The training length of a model that saw {@code textTokens} text tokens with a native latent of {@code latentH × latentW} (before 2×2 packing). */
  public static int trainSeqLen(int textTokens, int latentH, int latentW) {
    return textTokens + (latentH / 2) * (latentW / 2);
  }

  public AttentionSettings withNtkFactor(double value) {
    return new AttentionSettings(value, proportionalAttention, trainSeqLen, positionInterpolation, nativeImageTokens);
  }

  /** Proportional attention on or off, with the base model's training length (see the class comment). */
  public AttentionSettings withProportionalAttention(boolean value, int modelTrainSeqLen) {
    return new AttentionSettings(ntkFactor, value, modelTrainSeqLen, positionInterpolation, nativeImageTokens);
  }

  /** Position interpolation on or off, with the base model's image token count at its native resolution (see the class comment). */
  public AttentionSettings withPositionInterpolation(boolean value, int modelNativeImageTokens) {
    return new AttentionSettings(ntkFactor, proportionalAttention, trainSeqLen, value, modelNativeImageTokens);
  }

  /** The softmax scale for {@code totalTokens} tokens (text + image) and a head width. */
  public double scale(int totalTokens, int headDim) {
    if (!proportionalAttention) return 1.0 / Math.sqrt(headDim);
    return Math.sqrt(Math.log(totalTokens) / Math.log(trainSeqLen) / headDim);
  }

  /** What the RoPE positions of a {@code gridH × gridW} image grid are multiplied by: 1 unless interpolating above the native size. */
  public double positionScale(int gridH, int gridW) {
    long tokens = (long) gridH * gridW;
    if (!positionInterpolation || tokens <= nativeImageTokens) return 1.0;
    return Math.sqrt((double) nativeImageTokens / tokens);
  }
}
