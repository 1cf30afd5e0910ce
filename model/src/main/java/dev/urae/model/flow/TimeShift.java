package dev.urae.model.flow;

/**
 * How a sampling schedule is bent towards high noise for larger images. A static shift
 * {@code s} maps {@code σ ↦ s·σ / (1 + (s−1)·σ)}; FLUX's dynamic shift uses
 * {@code σ ↦ e^μ / (e^μ + (1/σ − 1))} with μ linear in the image sequence length, from
 * (256 tokens, 0.5) to (4096 tokens, 1.15).
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

  /** μ = 0.5 + (len − 256)·(1.15 − 0.5)/(4096 − 256). */
  static double dynamicMu(int imageSeqLen) {
    double slope = (1.15 - 0.5) / (4096 - 256);
    double intercept = 0.5 - slope * 256;
    return imageSeqLen * slope + intercept;
  }
}
