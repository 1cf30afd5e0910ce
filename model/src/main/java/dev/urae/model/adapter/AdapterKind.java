package dev.urae.model.adapter;

/** The two adapter families of the recipe. */
public enum AdapterKind {
  /** Low-rank update W + (α/r)·B·A with A ~ N(0, 1/r), B = 0 (URAE's 2K stage). */
  LORA,
  /** Minor-component adapter: W = (W − b·a) + b·a from the r smallest singular triplets (4K stage). */
  MINOR;

  /** Parses "lora" or "minor", with a message naming the field. */
  public static AdapterKind parse(String text) {
    for (AdapterKind kind : values()) if (kind.name().equalsIgnoreCase(text)) return kind;
    throw new IllegalArgumentException("kind must be lora or minor, was " + text);
  }

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
