package dev.urae.infra.exec;

/** Failure messages in the failing code's own words, for people (status lines, CLI errors). */
public final class Causes {
  private Causes() {}

  /** Each distinct message along the cause chain, joined with ": ". */
  public static String describe(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (text.indexOf(message) >= 0) continue;
      if (text.length() > 0) text.append(": ");
      text.append(message);
    }
    return text.toString();
  }
}
