package dev.urae.model.nn;

import java.util.Locale;

/**
 * How linear layers and attention compute with frozen weights stored in a lower precision than
 * the activations (a bf16 checkpoint). Either way the activations passed between operators,
 * norms, the loss, adapter parameters, their gradients and optimizer state stay float32, and
 * the weights stay as stored.
 */
public enum Precision {
  /** Each product in float32 on a temporary float32 copy of the weight (the CPU default: CPUs have little bf16 arithmetic). */
  FP32,
  /**
   * Mixed precision: each product in the weight's stored dtype (bf16), input cast down and
   * output back to float32, with no float32 copy of the weight (the GPU default). A float32
   * weight still computes in float32. The fused attention computes in bf16 too
   * ({@link AttentionKernel#FUSED_BF16}).
   */
  BF16;

  /** {@code auto} (bf16 on a GPU, fp32 on the CPU), {@code bf16} or {@code fp32}; {@code where} names the option in errors. */
  public static Precision parse(String text, boolean gpu, String where) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "auto" -> gpu ? BF16 : FP32;
      case "bf16" -> BF16;
      case "fp32" -> FP32;
      default -> throw new IllegalArgumentException(where + " must be auto, bf16 or fp32, got '" + text + "'");
    };
  }
}
