package dev.urae.batch.manifest;

/**
 * The run configuration's defaults for fields a manifest line may omit.
 *
 * @param width  default image width in pixels (a multiple of 16, 16..8192)
 * @param height default image height in pixels (a multiple of 16, 16..8192)
 */
public record ItemDefaults(int width, int height) {
  public static final int MIN_SIDE = 16;
  public static final int MAX_SIDE = 8192;
  public static final int SIDE_MULTIPLE = 16;

  public ItemDefaults {
    checkSide("width", width);
    checkSide("height", height);
  }

  /** Returns null when {@code value} is a valid side, else the reason it is not. */
  static String sideProblem(long value) {
    if (value < MIN_SIDE || value > MAX_SIDE) {
      return "must be from " + MIN_SIDE + " to " + MAX_SIDE + ", got " + value;
    }
    if (value % SIDE_MULTIPLE != 0) return "must be a multiple of " + SIDE_MULTIPLE + ", got " + value;
    return null;
  }

  private static void checkSide(String name, int value) {
    String problem = sideProblem(value);
    if (problem != null) throw new IllegalArgumentException("default " + name + " " + problem);
  }
}
