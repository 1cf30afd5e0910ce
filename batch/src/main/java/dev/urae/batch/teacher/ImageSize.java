package dev.urae.batch.teacher;

/** A width × height in pixels. */
public record ImageSize(int width, int height) {
  public ImageSize {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("size must be positive, got " + width + "x" + height);
    }
  }

  public double aspect() {
    return (double) width / height;
  }

  public long pixels() {
    return (long) width * height;
  }

  @Override
  public String toString() {
    return width + "x" + height;
  }
}
