package dev.urae.model.demo;

import java.util.List;

/**
 * Scores renders against the demo world's known truth at the render's own resolution: prompt
 * fidelity from the scene layout (object masks, eroded so outlines do not count), colour
 * error, a high-frequency detail score, and PSNR. See {@link DemoScore}.
 */
public final class DemoMetric {
  private static final double COLOUR_TOLERANCE = 0.15;

  private DemoMetric() {}

  /** Scores one render of {@code scene}. */
  public static DemoScore score(SceneDescription scene, DemoImage render) {
    return score(List.of(scene), List.of(render));
  }

  /** Scores renders of the scenes, pairwise, and averages. */
  public static DemoScore score(List<SceneDescription> scenes, List<DemoImage> renders) {
    if (scenes.size() != renders.size() || scenes.isEmpty()) {
      throw new IllegalArgumentException("need one render per scene, got " + renders.size() + " for " + scenes.size());
    }
    int objects = 0;
    int correct = 0;
    double colourError = 0;
    int colourTerms = 0;
    double detail = 0;
    double psnr = 0;
    for (int i = 0; i < scenes.size(); i++) {
      SceneDescription scene = scenes.get(i);
      DemoImage render = renders.get(i);
      if (render.width() != render.height()) throw new IllegalArgumentException("renders must be square, got " + render.width() + "x" + render.height());
      DemoImage truth = SceneRenderer.render(scene, render.width());
      for (SceneObject o : scene.objects()) {
        double e = regionError(render, truth, (u, v) -> SceneRenderer.signedDistance(o, u, v) < -0.35f * o.size().radius);
        objects++;
        if (e < COLOUR_TOLERANCE) correct++;
        colourError += e;
        colourTerms++;
      }
      colourError += regionError(render, truth, (u, v) -> {
        for (SceneObject o : scene.objects()) if (SceneRenderer.signedDistance(o, u, v) < 0.03f) return false;
        return true;
      });
      colourTerms++;
      detail += highPassCorrelation(render, truth);
      psnr += psnr(render, truth);
    }
    int n = scenes.size();
    return new DemoScore((double) correct / objects, colourError / colourTerms, detail / n, psnr / n, n);
  }

  private interface Region {
    boolean contains(float u, float v);
  }

  /** RGB distance between the mean colours of render and truth inside a region. */
  private static double regionError(DemoImage render, DemoImage truth, Region region) {
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

  /** Pearson correlation of the 4-neighbour Laplacians of the luminances. */
  static double highPassCorrelation(DemoImage render, DemoImage truth) {
    float[] a = laplacian(render);
    float[] b = laplacian(truth);
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    if (saa == 0 || sbb == 0) return 0;
    return sab / Math.sqrt(saa * sbb);
  }

  private static float[] laplacian(DemoImage image) {
    int w = image.width();
    int h = image.height();
    float[] lum = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) lum[y * w + x] = 0.299f * image.get(0, x, y) + 0.587f * image.get(1, x, y) + 0.114f * image.get(2, x, y);
    }
    float[] out = new float[(w - 2) * (h - 2)];
    for (int y = 1; y < h - 1; y++) {
      for (int x = 1; x < w - 1; x++) {
        out[(y - 1) * (w - 2) + x - 1] = 4 * lum[y * w + x] - lum[y * w + x - 1] - lum[y * w + x + 1] - lum[(y - 1) * w + x] - lum[(y + 1) * w + x];
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
    return mse == 0 ? 99.0 : 10 * Math.log10(1.0 / mse);
  }
}
