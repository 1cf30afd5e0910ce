package dev.urae.model.demo;

import java.util.Locale;

/**
 * How close renders are to the truth, averaged over prompts. Each part answers one question a
 * person asks of a render, so a comparison says what improved (see {@link DemoMetric}):
 *
 * @param fidelity fraction of objects whose mean colour, inside the scene's known shape, is
 *     within 0.15 (RGB, [0, 1] scale) of the truth's: is each asked-for object there, in its colour
 * @param objectColourError mean RGB distance between the render's and the truth's mean colour
 *     inside each object's (eroded) shape
 * @param backgroundColourError mean RGB distance between the render's and the truth's mean colour
 *     of the background, away from every object
 * @param textureDetail how much of the truth's texture (stripes, dots, checks) the render
 *     reproduces in place inside the objects: the render's high-pass projected on the truth's,
 *     1 = the full texture, 0 = flat or unrelated; NaN when no object has texture at this
 *     resolution (plain objects only)
 * @param psnr peak signal-to-noise ratio against the truth, dB (99 for an exact copy)
 * @param images how many renders were scored
 */
public record DemoScore(double fidelity, double objectColourError, double backgroundColourError, double textureDetail, double psnr, int images) {
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "fidelity %.3f, object colour error %.3f, background colour error %.3f, texture detail %.3f, PSNR %.2f dB over %d image(s)",
        fidelity, objectColourError, backgroundColourError, textureDetail, psnr, images);
  }
}
