package dev.urae.model.flux;

/**
 * The resolution knobs of attention: NTK-aware RoPE ({@code ntkFactor} multiplies theta) and
 * proportional attention (scale {@code sqrt(log_{trainSeqLen}(N) / headDim)} with N the total
 * token count, instead of {@code 1/sqrt(headDim)}). Immutable.
 */
public record AttentionSettings(double ntkFactor, boolean proportionalAttention, int trainSeqLen) {
  /** URAE's training sequence length: 512 text tokens + 64·64 image tokens. */
  public static final int DEFAULT_TRAIN_SEQ_LEN = 512 + 64 * 64;

  /** Plain FLUX: ntk factor 1, scale 1/sqrt(headDim). */
  public static final AttentionSettings DEFAULT = new AttentionSettings(1.0, false, DEFAULT_TRAIN_SEQ_LEN);

  public AttentionSettings {
    if (!(ntkFactor > 0)) throw new IllegalArgumentException("ntkFactor must be positive, got " + ntkFactor);
    if (trainSeqLen < 2) throw new IllegalArgumentException("trainSeqLen must be at least 2, got " + trainSeqLen);
  }

  public AttentionSettings withNtkFactor(double value) {
    return new AttentionSettings(value, proportionalAttention, trainSeqLen);
  }

  public AttentionSettings withProportionalAttention(boolean value) {
    return new AttentionSettings(ntkFactor, value, trainSeqLen);
  }

  public AttentionSettings withTrainSeqLen(int value) {
    return new AttentionSettings(ntkFactor, proportionalAttention, value);
  }

  /** The softmax scale for {@code totalTokens} tokens (text + image) and a head width. */
  public double scale(int totalTokens, int headDim) {
    if (!proportionalAttention) return 1.0 / Math.sqrt(headDim);
    return Math.sqrt(Math.log(totalTokens) / Math.log(trainSeqLen) / headDim);
  }
}
