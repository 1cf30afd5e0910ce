package dev.urae.model.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The demo's teacher, the stand-in for a strong closed model: it renders what a scene
 * describes, with an error level δ ∈ [0, 1] that degrades it the ways real teachers err, to
 * study Theorem 1's imperfect teachers: a gaussian blur of σ = 1.5·δ pixels (lost detail), a
 * per-image colour shift of up to ±0.25·δ per channel, and, with probability δ/2, a caption
 * naming a wrong colour for one object. δ = 0 is the truth.
 */
public final class DemoTeacher implements SceneSource {
  private final double errorLevel;

  public DemoTeacher(double errorLevel) {
    if (errorLevel < 0 || errorLevel > 1) throw new IllegalArgumentException("errorLevel must be in [0, 1], was " + errorLevel);
    this.errorLevel = errorLevel;
  }

  public static DemoTeacher exact() {
    return new DemoTeacher(0);
  }

  public double errorLevel() {
    return errorLevel;
  }

  /** One training example of a scene at a resolution; {@code seed} fixes the teacher's errors. */
  @Override
  public TeacherSample sample(SceneDescription scene, int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    DemoImage image = SceneRenderer.render(scene, size);
    if (errorLevel > 0) {
      image = blur(image, 1.5 * errorLevel);
      image = shiftColours(image, random, (float) (0.25 * errorLevel));
    }
    SceneDescription captioned = random.nextDouble() < errorLevel / 2 ? miscaption(scene, random) : scene;
    return new TeacherSample(image, captioned.prompt(), captioned.generatedPrompt(), scene);
  }

  private static SceneDescription miscaption(SceneDescription scene, SplittableRandom random) {
    List<SceneObject> objects = new ArrayList<>(scene.objects());
    int i = random.nextInt(objects.size());
    SceneObject o = objects.get(i);
    Palette.Colour[] colours = Palette.Colour.values();
    Palette.Colour wrong = colours[(o.colour().ordinal() + 1 + random.nextInt(colours.length - 1)) % colours.length];
    objects.set(i, new SceneObject(o.shape(), wrong, o.size(), o.texture(), o.position()));
    return new SceneDescription(objects, scene.background());
  }

  private static DemoImage shiftColours(DemoImage image, SplittableRandom random, float amplitude) {
    float[] rgb = image.rgb().clone();
    int plane = image.width() * image.height();
    for (int c = 0; c < 3; c++) {
      float shift = (float) ((random.nextDouble() * 2 - 1) * amplitude);
      for (int i = c * plane; i < (c + 1) * plane; i++) rgb[i] = Math.max(0f, Math.min(1f, rgb[i] + shift));
    }
    return new DemoImage(image.width(), image.height(), rgb);
  }

  /** Separable gaussian blur with clamped edges. */
  static DemoImage blur(DemoImage image, double sigma) {
    if (sigma < 0.05) return image;
    int radius = (int) Math.ceil(3 * sigma);
    float[] kernel = new float[2 * radius + 1];
    float sum = 0;
    for (int i = -radius; i <= radius; i++) sum += kernel[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
    for (int i = 0; i < kernel.length; i++) kernel[i] /= sum;
    int w = image.width();
    int h = image.height();
    float[] in = image.rgb();
    float[] tmp = new float[in.length];
    float[] out = new float[in.length];
    for (int c = 0; c < 3; c++) {
      int base = c * w * h;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float acc = 0;
          for (int k = -radius; k <= radius; k++) acc += kernel[k + radius] * in[base + y * w + Math.max(0, Math.min(w - 1, x + k))];
          tmp[base + y * w + x] = acc;
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float acc = 0;
          for (int k = -radius; k <= radius; k++) acc += kernel[k + radius] * tmp[base + Math.max(0, Math.min(h - 1, y + k)) * w + x];
          out[base + y * w + x] = acc;
        }
      }
    }
    return new DemoImage(w, h, out);
  }
}
