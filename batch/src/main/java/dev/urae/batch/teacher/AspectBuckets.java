package dev.urae.batch.teacher;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Aspect-ratio buckets near one pixel count, so real images of any shape can be cropped little and
 * still be trained at (about) the target resolution.
 *
 * <p>Every bucket has sides that are multiples of 16 (the latent is 8× smaller and packed 2×2).
 * Widths run over multiples of {@code stride}; each width gets the height (a multiple of 16) that
 * brings the pixel count closest to the target; each bucket also appears transposed; buckets
 * beyond {@code maxAspect} (in either orientation) are dropped. The requested size itself is
 * always a bucket, so an image with exactly the requested shape is never cropped.
 */
public final class AspectBuckets {
  private static final int ALIGN = 16;

  private final List<ImageSize> sizes;

  private AspectBuckets(List<ImageSize> sizes) {
    this.sizes = List.copyOf(sizes);
  }

  /**
   * The buckets around {@code target}'s pixel count.
   *
   * @param target    the requested size; its sides must be multiples of 16
   * @param stride    the step between bucket widths, a positive multiple of 16
   * @param maxAspect the widest (and, inverted, the tallest) aspect ratio kept, >= 1
   */
  public static AspectBuckets around(ImageSize target, int stride, double maxAspect) {
    if (target.width() % ALIGN != 0 || target.height() % ALIGN != 0) {
      throw new IllegalArgumentException("target sides must be multiples of 16, got " + target);
    }
    if (stride < ALIGN || stride % ALIGN != 0) {
      throw new IllegalArgumentException("bucket stride must be a positive multiple of 16, got " + stride);
    }
    if (!(maxAspect >= 1)) throw new IllegalArgumentException("max aspect must be >= 1, got " + maxAspect);
    double pixels = target.pixels();
    Set<ImageSize> found = new LinkedHashSet<>();
    found.add(target);
    int widest = (int) Math.ceil(Math.sqrt(pixels * maxAspect));
    for (int w = stride; w <= widest; w += stride) {
      int h = (int) Math.round(pixels / w / ALIGN) * ALIGN;
      if (h < ALIGN) continue;
      ImageSize bucket = new ImageSize(w, h);
      if (withinAspect(bucket, maxAspect)) {
        found.add(bucket);
        found.add(new ImageSize(h, w));
      }
    }
    List<ImageSize> sorted = new ArrayList<>(found);
    sorted.sort(Comparator.comparingDouble(ImageSize::aspect).thenComparingLong(ImageSize::pixels));
    return new AspectBuckets(sorted);
  }

  /** Every bucket, from the tallest aspect ratio to the widest. */
  public List<ImageSize> sizes() {
    return sizes;
  }

  /**
   * The bucket whose aspect ratio is closest to {@code width × height} (compared on a log scale,
   * so 2:1 and 1:2 are equally far from 1:1); ties go to the bucket with more pixels.
   */
  public ImageSize nearest(int width, int height) {
    double logAspect = Math.log((double) width / height);
    ImageSize best = null;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (ImageSize bucket : sizes) {
      double distance = Math.abs(Math.log(bucket.aspect()) - logAspect);
      if (distance < bestDistance - 1e-12
          || Math.abs(distance - bestDistance) <= 1e-12 && bucket.pixels() > best.pixels()) {
        best = bucket;
        bestDistance = distance;
      }
    }
    return best;
  }

  private static boolean withinAspect(ImageSize size, double maxAspect) {
    double aspect = size.aspect();
    return aspect <= maxAspect + 1e-9 && aspect >= 1 / maxAspect - 1e-9;
  }

  @Override
  public String toString() {
    return "AspectBuckets" + sizes;
  }
}
