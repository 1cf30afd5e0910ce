package dev.urae.model.flux;

/**
 * The resolution knobs of attention: NTK-aware RoPE ({@code ntkFactor} multiplies theta) and
 * proportional attention (scale {@code sqrt(log_{trainSeqLen}(N) / headDim)} with N the total
 * token count, instead of {@code 1/sqrt(headDim)}). Immutable.
 *
 * <p>{@code trainSeqLen} is the base model's own token count at its native resolution: its text
 * tokens plus its image tokens there (FLUX.1-dev: 512 + 64·64 = 4,608; the demo model: 38 +
 * 16·16 = 294). It belongs to the model, so there is no default: proportional attention cannot
 * be switched on without it (0 = not given).
 */
public record AttentionSettings(double ntkFactor, boolean proportionalAttention, int trainSeqLen) {
  /** Plain FLUX: ntk factor 1, scale 1/sqrt(headDim). */
  public static final AttentionSettings DEFAULT = new AttentionSettings(1.0, false, 0);

  public AttentionSettings {
    if (!(ntkFactor > 0)) throw new IllegalArgumentException("ntkFactor must be positive, got " + ntkFactor);
    if (trainSeqLen != 0 && trainSeqLen < 2) throw new IllegalArgumentException("trainSeqLen must be at least 2, got " + trainSeqLen);
    if (proportionalAttention && trainSeqLen == 0) {
      throw new IllegalArgumentException("proportional attention needs the base model's training length (text + image tokens at its native resolution)");
    }
  }

  /** The training length of a model that saw {@code textTokens} text tokens with a native latent of {@code latentH × latentW} (before 2×2 packing). */
  public static int trainSeqLen(int textTokens, int latentH, int latentW) {
    return textTokens + (latentH / 2) * (latentW / 2);
  }

  public AttentionSettings withNtkFactor(double value) {
    return new AttentionSettings(value, proportionalAttention, trainSeqLen);
  }

  /** Proportional attention on or off, with the base model's training length (see the class comment). */
  public AttentionSettings withProportionalAttention(boolean value, int modelTrainSeqLen) {
    return new AttentionSettings(ntkFactor, value, modelTrainSeqLen);
  }

  /** The softmax scale for {@code totalTokens} tokens (text + image) and a head width. */
  public double scale(int totalTokens, int headDim) {
    if (!proportionalAttention) return 1.0 / Math.sqrt(headDim);
    return Math.sqrt(Math.log(totalTokens) / Math.log(trainSeqLen) / headDim);
  }
}
