package dev.urae.model.demo;

/**
 * How close renders are to the truth, averaged over prompts:
 *
 * @param fidelity fraction of objects whose mean colour, inside the scene's known shape, is
 *     within 0.15 (RGB, [0, 1] scale) of the truth's (prompt fidelity against the layout)
 * @param colourError mean RGB distance of those object colours and of the background
 * @param detail correlation of the render's high-pass (Laplacian) with the truth's: 1 means the
 *     fine strokes and textures are where they should be, 0 means none are
 * @param psnr peak signal-to-noise ratio against the truth, dB
 */
public record DemoScore(double fidelity, double colourError, double detail, double psnr, int images) {
  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "fidelity %.3f, colour error %.3f, detail %.3f, PSNR %.2f dB over %d image(s)",
        fidelity, colourError, detail, psnr, images);
  }
}
