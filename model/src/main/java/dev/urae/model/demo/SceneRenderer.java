package dev.urae.model.demo;

import java.util.List;

/**
 * Draws a scene at any resolution from its description, in continuous image coordinates
 * (u, v ∈ [0, 1]) averaged over a 4×4 grid of samples per pixel. Fine detail is sized relative
 * to the image: stripes with a period of 1/28 of the side, 1/22-period dots and checks, a grid
 * of 1/16 with lines 1/160 wide, and outlines 1/110 wide. At 32 pixels these average into flat
 * colour; at 64 pixels and above they appear: that is the detail an ultra-resolution adapter
 * must learn.
 */
public final class SceneRenderer {
  private static final int SUPERSAMPLE = 4;
  private static final float OUTLINE = 1f / 110;
  private static final float STRIPE_PERIOD = 1f / 28;
  private static final float DOT_PERIOD = 1f / 22;
  private static final float CHECK_PERIOD = 1f / 22;
  private static final float GRID_PERIOD = 1f / 16;
  private static final float GRID_LINE = 1f / 160;

  private SceneRenderer() {}

  public static DemoImage render(SceneDescription scene, int size) {
    return render(scene, size, List.of());
  }

  /**
   * Draws a scene with each object displaced as a photograph would show it: {@code placements.get(k)}
   * moves object k (missing entries: {@link Placement#EXACT}).
   */
  public static DemoImage render(SceneDescription scene, int size, List<Placement> placements) {
    if (size < 2) throw new IllegalArgumentException("size must be at least 2, was " + size);
    float[] rgb = new float[3 * size * size];
    float[] colour = new float[3];
    int plane = size * size;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        float r = 0;
        float g = 0;
        float b = 0;
        for (int sy = 0; sy < SUPERSAMPLE; sy++) {
          for (int sx = 0; sx < SUPERSAMPLE; sx++) {
            float u = (x + (sx + 0.5f) / SUPERSAMPLE) / size;
            float v = (y + (sy + 0.5f) / SUPERSAMPLE) / size;
            shade(scene, placements, u, v, colour);
            r += colour[0];
            g += colour[1];
            b += colour[2];
          }
        }
        float n = SUPERSAMPLE * SUPERSAMPLE;
        rgb[y * size + x] = r / n;
        rgb[plane + y * size + x] = g / n;
        rgb[2 * plane + y * size + x] = b / n;
      }
    }
    return new DemoImage(size, size, rgb);
  }

  /**
   * Where a photograph puts an object relative to the description: offset in image units, scale
   * of its size, and the shift of its texture pattern (in stripe periods).
   */
  public record Placement(float dx, float dy, float scale, float texturePhase) {
    public static final Placement EXACT = new Placement(0, 0, 1, 0);

    public Placement {
      if (!(scale > 0)) throw new IllegalArgumentException("scale must be positive, was " + scale);
    }
  }

  /** The colour of the continuous scene at (u, v), objects moved by their placements. */
  static void shade(SceneDescription scene, List<Placement> placements, float u, float v, float[] out) {
    Palette.Background bg = scene.background();
    out[0] = bg.r;
    out[1] = bg.g;
    out[2] = bg.b;
    if (bg.grid && (distanceToLine(u, GRID_PERIOD) < GRID_LINE / 2 || distanceToLine(v, GRID_PERIOD) < GRID_LINE / 2)) {
      out[0] = 0.25f;
      out[1] = 0.28f;
      out[2] = 0.35f;
    }
    for (int i = 0; i < scene.objects().size(); i++) {
      SceneObject o = scene.objects().get(i);
      Placement p = i < placements.size() ? placements.get(i) : Placement.EXACT;
      // Map (u, v) into the object's undisplaced frame; distances scale back to image units.
      float ou = o.position().x + (u - o.position().x - p.dx()) / p.scale();
      float ov = o.position().y + (v - o.position().y - p.dy()) / p.scale();
      float d = signedDistance(o, ou, ov) * p.scale();
      if (d > 0) continue;
      if (d > -OUTLINE) {
        out[0] = 0.08f;
        out[1] = 0.08f;
        out[2] = 0.08f;
        continue;
      }
      float[] c = o.colour().rgb();
      float lx = ou - o.position().x + p.texturePhase() * STRIPE_PERIOD;
      float ly = ov - o.position().y + p.texturePhase() * STRIPE_PERIOD;
      float k = 1f;
      switch (o.texture()) {
        case STRIPED -> k = (fraction((lx + ly) / STRIPE_PERIOD) < 0.5f) ? 1f : 0.5f;
        case CHECKERED -> k = ((floor(lx / CHECK_PERIOD) + floor(ly / CHECK_PERIOD)) & 1) == 0 ? 1f : 0.6f;
        case DOTTED -> {
          float dx = (fraction(lx / DOT_PERIOD) - 0.5f) * DOT_PERIOD;
          float dy = (fraction(ly / DOT_PERIOD) - 0.5f) * DOT_PERIOD;
          if (dx * dx + dy * dy < (DOT_PERIOD * 0.28f) * (DOT_PERIOD * 0.28f)) {
            c = new float[] {0.97f, 0.97f, 0.97f};
          }
        }
        case PLAIN -> { }
      }
      out[0] = c[0] * k;
      out[1] = c[1] * k;
      out[2] = c[2] * k;
    }
  }

  /** Signed distance to the object's boundary (negative inside), in image units. */
  static float signedDistance(SceneObject o, float u, float v) {
    float r = o.size().radius;
    float dx = u - o.position().x;
    float dy = v - o.position().y;
    return switch (o.shape()) {
      case CIRCLE -> (float) Math.sqrt(dx * dx + dy * dy) - r;
      case SQUARE -> Math.max(Math.abs(dx), Math.abs(dy)) - r * 0.85f;
      case DIAMOND -> (Math.abs(dx) + Math.abs(dy) - r * 1.2f) * 0.7071f;
      case TRIANGLE -> {
        // Upward equilateral triangle: the largest of three edge distances.
        float k = (float) Math.sqrt(3);
        float bottom = dy - r * 0.6f;
        float left = (-k * dx - dy) / 2 - r * 0.6f;
        float right = (k * dx - dy) / 2 - r * 0.6f;
        yield Math.max(bottom, Math.max(left, right));
      }
    };
  }

  private static float distanceToLine(float t, float period) {
    float f = fraction(t / period);
    return Math.min(f, 1 - f) * period;
  }

  private static float fraction(float t) {
    return t - (float) Math.floor(t);
  }

  private static int floor(float t) {
    return (int) Math.floor(t);
  }
}
