package dev.urae.model.demo;

import java.util.List;

/**
 * Scores renders against the demo world's known truth, rendered by {@link SceneRenderer} at the
 * render's own resolution. Every part uses what the scene description knows: where each object
 * is (its signed distance, eroded so outlines and edges do not count), its colour, its texture,
 * and the background around it. See {@link DemoScore} for what each number means.
 */
public final class DemoMetric {
  /** An object counts as drawn when its mean colour is this close (RGB distance) to the truth's. */
  private static final double COLOUR_TOLERANCE = 0.15;
  /** Object regions keep the points deeper than this fraction of the object's radius. */
  private static final float OBJECT_EROSION = 0.35f;
  /** The background region keeps points at least this far (image units) from every object. */
  private static final float BACKGROUND_MARGIN = 0.03f;
  /** PSNR of an exact copy (the true value is infinite). */
  static final double EXACT_PSNR = 99.0;

  private DemoMetric() {}

  /** Scores one render of {@code scene}. */
  public static DemoScore score(SceneDescription scene, DemoImage render) {
    return score(List.of(scene), List.of(render));
  }

  /** Scores renders of the scenes, pairwise, and averages (texture detail is pooled over all objects). */
  public static DemoScore score(List<SceneDescription> scenes, List<DemoImage> renders) {
    if (scenes.size() != renders.size() || scenes.isEmpty()) {
      throw new IllegalArgumentException("need one render per scene, got " + renders.size() + " for " + scenes.size());
    }
    int objects = 0;
    int correct = 0;
    double objectError = 0;
    double backgroundError = 0;
    double textureInPhase = 0;
    double textureEnergy = 0;
    double psnr = 0;
    for (int i = 0; i < scenes.size(); i++) {
      SceneDescription scene = scenes.get(i);
      DemoImage render = renders.get(i);
      DemoImage truth = truthFor(scene, render);
      for (SceneObject o : scene.objects()) {
        double e = meanColourDistance(render, truth, inside(o));
        objects++;
        if (e < COLOUR_TOLERANCE) correct++;
        objectError += e;
        // a plain object has no texture to reproduce: at low resolution its eroded interior still
        // catches a little edge anti-aliasing, and that sliver of energy would make the ratio swing
        if (o.texture() == Palette.Texture.PLAIN) continue;
        double[] projection = highPassProjection(render, truth, inside(o));
        textureInPhase += projection[0];
        textureEnergy += projection[1];
      }
      backgroundError += meanColourDistance(render, truth, outsideEvery(scene.objects()));
      psnr += psnr(render, truth);
    }
    int n = scenes.size();
    double texture = textureEnergy == 0 ? Double.NaN : textureInPhase / textureEnergy;
    return new DemoScore((double) correct / objects, objectError / objects, backgroundError / n, texture, psnr / n, n);
  }

  private static DemoImage truthFor(SceneDescription scene, DemoImage render) {
    if (render.width() != render.height()) throw new IllegalArgumentException("renders must be square, got " + render.width() + "x" + render.height());
    return SceneRenderer.render(scene, render.width());
  }

  private interface Region {
    boolean contains(float u, float v);
  }

  private static Region inside(SceneObject o) {
    return (u, v) -> SceneRenderer.signedDistance(o, u, v) < -OBJECT_EROSION * o.size().radius;
  }

  private static Region outsideEvery(List<SceneObject> objects) {
    return (u, v) -> objects.stream().allMatch(o -> SceneRenderer.signedDistance(o, u, v) >= BACKGROUND_MARGIN);
  }

  /** RGB distance between the mean colours of render and truth inside a region (0 for an empty region). */
  private static double meanColourDistance(DemoImage render, DemoImage truth, Region region) {
    int size = render.width();
    double[] a = new double[3];
    double[] b = new double[3];
    int count = 0;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        if (!region.contains((x + 0.5f) / size, (y + 0.5f) / size)) continue;
        count++;
        for (int c = 0; c < 3; c++) {
          a[c] += render.get(c, x, y);
          b[c] += truth.get(c, x, y);
        }
      }
    }
    if (count == 0) return 0;
    double sum = 0;
    for (int c = 0; c < 3; c++) sum += Math.pow((a[c] - b[c]) / count, 2);
    return Math.sqrt(sum);
  }

  /**
   * {⟨h_render, h_truth⟩, ⟨h_truth, h_truth⟩} over a region, h the luminance Laplacian (the band
   * where the textures live). Their ratio is the share of the truth's texture the render
   * reproduces in place: flat colour 0, the truth 1, the truth at half contrast 0.5; noise
   * unrelated to the texture adds nothing in expectation (PSNR sees it).
   */
  private static double[] highPassProjection(DemoImage render, DemoImage truth, Region region) {
    int size = render.width();
    double[] a = laplacian(render);
    double[] b = laplacian(truth);
    double inPhase = 0;
    double energy = 0;
    for (int y = 1; y < size - 1; y++) {
      for (int x = 1; x < size - 1; x++) {
        if (!region.contains((x + 0.5f) / size, (y + 0.5f) / size)) continue;
        int i = (y - 1) * (size - 2) + x - 1;
        inPhase += a[i] * b[i];
        energy += b[i] * b[i];
      }
    }
    return new double[] {inPhase, energy};
  }

  /**
   * The 4-neighbour Laplacian of the luminance, over the pixels that have four neighbours, as a
   * sum of differences so that it is exactly 0 wherever the colour is flat.
   */
  private static double[] laplacian(DemoImage image) {
    int w = image.width();
    int h = image.height();
    double[] lum = new double[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) lum[y * w + x] = 0.299 * image.get(0, x, y) + 0.587 * image.get(1, x, y) + 0.114 * image.get(2, x, y);
    }
    double[] out = new double[(w - 2) * (h - 2)];
    for (int y = 1; y < h - 1; y++) {
      for (int x = 1; x < w - 1; x++) {
        double centre = lum[y * w + x];
        out[(y - 1) * (w - 2) + x - 1] = (centre - lum[y * w + x - 1]) + (centre - lum[y * w + x + 1])
            + (centre - lum[(y - 1) * w + x]) + (centre - lum[(y + 1) * w + x]);
      }
    }
    return out;
  }

  private static double psnr(DemoImage render, DemoImage truth) {
    double mse = 0;
    float[] a = render.rgb();
    float[] b = truth.rgb();
    for (int i = 0; i < a.length; i++) mse += (a[i] - b[i]) * (a[i] - b[i]);
    mse /= a.length;
    return mse == 0 ? EXACT_PSNR : 10 * Math.log10(1.0 / mse);
  }
}
