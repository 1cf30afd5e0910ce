package dev.urae.model.flow;

/**
 * How a sampling schedule is bent towards high noise for larger images. A static shift
 * {@code s} maps {@code σ ↦ s·σ / (1 + (s−1)·σ)}; FLUX's dynamic shift uses
 * {@code σ ↦ e^μ / (e^μ + (1/σ − 1))} with μ linear in the image sequence length, from
 * (256 tokens, 0.5) to (4096 tokens, 1.15), held at those ends outside that range.
 *
 * <p>What URAE runs is FLUX.1-dev's static shift 3.0: unclamped, the linear μ reaches 4.9 at 4K
 * (65,536 tokens) and every σ of a 28-step schedule stays ≥ 0.9997, one Euler jump from noise.
 */
public interface TimeShift {
  /** The shifted σ; σ = 0 and σ = 1 stay fixed. */
  double apply(double sigma);

  /** No shift. */
  static TimeShift none() {
    return sigma -> sigma;
  }

  /** A static shift {@code s > 0}. */
  static TimeShift fixed(double s) {
    if (!(s > 0)) throw new IllegalArgumentException("shift must be positive, got " + s);
    return sigma -> s * sigma / (1 + (s - 1) * sigma);
  }

  /** FLUX's dynamic shift for an image of {@code imageSeqLen} packed tokens. */
  static TimeShift dynamic(int imageSeqLen) {
    double mu = dynamicMu(imageSeqLen);
    double eMu = Math.exp(mu);
    return sigma -> sigma == 0 ? 0 : eMu / (eMu + (1 / sigma - 1));
  }

  /** μ = 0.5 + (len − 256)·(1.15 − 0.5)/(4096 − 256), clamped to the scheduler's range [0.5, 1.15]. */
  static double dynamicMu(int imageSeqLen) {
    int len = Math.max(BASE_IMAGE_SEQ_LEN, Math.min(MAX_IMAGE_SEQ_LEN, imageSeqLen));
    return BASE_SHIFT + (len - BASE_IMAGE_SEQ_LEN) * (MAX_SHIFT - BASE_SHIFT) / (MAX_IMAGE_SEQ_LEN - BASE_IMAGE_SEQ_LEN);
  }

  /** FLUX.1's scheduler_config: base_image_seq_len, max_image_seq_len, base_shift, max_shift. */
  int BASE_IMAGE_SEQ_LEN = 256;
  int MAX_IMAGE_SEQ_LEN = 4096;
  double BASE_SHIFT = 0.5;
  double MAX_SHIFT = 1.15;
}
