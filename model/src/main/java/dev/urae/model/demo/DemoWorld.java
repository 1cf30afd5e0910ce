package dev.urae.model.demo;

import dev.urae.model.flux.AttentionSettings;
import dev.urae.model.flux.FluxConfig;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.text.Vocabulary;

/** The demo world's fixed settings: the "1K" and "2K" of two CPU cores. */
public final class DemoWorld {
  /** The resolution the demo base model is pretrained at (its "1K"). */
  public static final int LOW_RESOLUTION = 32;
  /** The resolution the demo adapts to (its "2K"). */
  public static final int HIGH_RESOLUTION = 64;
  /**
   * Tokens per caption: the longest generated prompt has 38 words, so every caption fits whole
   * (a test checks it; with 36, one generated caption in eight lost its background's last words).
   */
  public static final int MAX_TEXT_TOKENS = 38;
  /**
   * The demo model's training length for proportional attention: its text tokens plus its image
   * tokens at {@link #LOW_RESOLUTION} (pixel space, packed 2×2): 38 + 16·16 = 294.
   */
  public static final int TRAIN_SEQ_LEN = AttentionSettings.trainSeqLen(MAX_TEXT_TOKENS, LOW_RESOLUTION, LOW_RESOLUTION);
  /** Image tokens at {@link #LOW_RESOLUTION}: 16·16 = 256. */
  public static final int NATIVE_IMAGE_TOKENS = TRAIN_SEQ_LEN - MAX_TEXT_TOKENS;
  /**
   * How the demo model attends unless a run says otherwise: with position interpolation above its
   * native resolution. Its RoPE (θ 36, 12 dimensions per axis) turns its lowest frequency 0.75 rad
   * across the native 16-token grid, and the text-to-image attention that places objects reads
   * those angles; at 64×64 without interpolation the positions run to 1.55 rad and the base draws
   * the background alone. Interpolated, it draws the scene's layout with objects at half their
   * size and broken edges: the failure FLUX.1 shows at 2K, which adaptation then fixes.
   */
  public static final AttentionSettings ATTENTION = AttentionSettings.DEFAULT.withPositionInterpolation(true, NATIVE_IMAGE_TOKENS);
  /** Seed of the pretraining scenes; evaluation scenes use {@link #EVAL_SEED}, never trained on. */
  public static final long TRAIN_SEED = 1;
  public static final long EVAL_SEED = 1_000_003;
  /** Seed of the adaptation (teacher) set, distinct from pretraining. */
  public static final long ADAPT_SEED = 2;

  private DemoWorld() {}

  public static FluxConfig config() {
    return FluxPresets.DEMO;
  }

  public static Vocabulary vocabulary() {
    return Vocabulary.of(Palette.vocabulary());
  }
}
