package dev.urae.batch.run;

/** The built-in stages, in pipeline order, and the keys of their outputs. */
public final class StageNames {
  public static final String TEACHER = "teacher";
  public static final String CACHE = "cache";
  public static final String ADAPT = "adapt";
  public static final String RENDER = "render";
  public static final String REPORT = "report";

  private StageNames() {}
}
