package dev.urae.batch.stages;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A named group of option defaults: URAE's 2K and 4K stages with the values its reference code
 * runs (DESIGN.md, "The recipe"). A recipe sits between the demo defaults and everything the
 * user sets ({@code --quick}, {@code --set}, flags, config), so every option still overrides it;
 * the report then lists what deviated. Besides pipeline options a recipe sets the image size of
 * items that do not give one (run options {@code width} and {@code height}).
 */
public enum Recipe {
  URAE_2K("urae-2k", "URAE's 2K stage: LoRA r16 on the 190 URAE targets, Prodigy, 2,000 steps, teacher data at 2048²", 2048, List.of(
      "adapt.kind", "lora",
      "adapt.rank", "16",
      "adapt.optimizer", "prodigy",
      "adapt.learning-rate", "1.0",
      "adapt.steps", "2000",
      "adapt.guidance", "1.0",
      "adapt.real-prompt-ratio", "0.2",
      // URAE trains the 2K LoRA at the base's own RoPE and attention scale
      "adapt.ntk-factor", "1.0",
      "adapt.proportional-attention", "false")),
  URAE_4K("urae-4k", "URAE's 4K stage: minor components r16 on the base with a 2K LoRA fused (--from-adapter), NTK 10 + "
      + "proportional attention, 10,000 steps, data at 4096²", 4096, List.of(
      "adapt.kind", "minor",
      "adapt.rank", "16",
      "adapt.optimizer", "prodigy",
      "adapt.learning-rate", "1.0",
      "adapt.steps", "10000",
      "adapt.guidance", "1.0",
      "adapt.real-prompt-ratio", "0.2",
      "adapt.ntk-factor", "10",
      "adapt.proportional-attention", "true"));

  /** The value of the {@code recipe} option when no recipe is chosen: the demo defaults. */
  public static final String NONE = "none";

  /**
   * What both recipes share: URAE's notebooks render 2K and 4K with 28 steps, guidance 3.5,
   * static shift 3.0 and NTK 10 + proportional attention. (A method: an enum's constructor
   * cannot read its static fields.)
   */
  private static List<String> shared() {
    return List.of(
        "render.steps", "28",
        "render.guidance", "3.5",
        "render.shift", "3.0",
        "render.ntk-factor", "10",
        "render.proportional-attention", "true",
        // URAE scales positions by NTK only: no position interpolation while training or rendering
        "adapt.position-interpolation", "false",
        "render.position-interpolation", "false",
        // URAE saves every 1,000 steps; resume is exact, so a tighter interval only bounds what a Spot reclaim loses
        "adapt.checkpoint-every", "100");
  }

  private final String label;
  private final String description;
  private final int side;
  private final Map<String, String> options;

  Recipe(String label, String description, int side, List<String> adapt) {
    this.label = label;
    this.description = description;
    this.side = side;
    Map<String, String> all = new LinkedHashMap<>();
    for (List<String> pairs : List.of(adapt, shared())) {
      for (int i = 0; i < pairs.size(); i += 2) all.put(pairs.get(i), pairs.get(i + 1));
    }
    this.options = Collections.unmodifiableMap(all);
  }

  /** The recipe named {@code name}, empty for {@value #NONE}; an unknown name is refused with the known ones. */
  public static Optional<Recipe> named(String name) {
    String wanted = name == null ? NONE : name.strip();
    if (wanted.equals(NONE)) return Optional.empty();
    return Optional.of(Arrays.stream(values()).filter(r -> r.label.equals(wanted)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown recipe '" + name + "' (--recipe, urae.pipeline.recipe); known: "
            + String.join(", ", labels()) + ", or " + NONE + " for the demo defaults")));
  }

  public static List<String> labels() {
    return Arrays.stream(values()).map(Recipe::label).toList();
  }

  public String label() {
    return label;
  }

  public String description() {
    return description;
  }

  /** Side in pixels of the items that do not give a width and height (the training data's and the renders' size). */
  public int side() {
    return side;
  }

  /** The pipeline options this recipe sets, by name. */
  public Map<String, String> options() {
    return options;
  }

  /** Whether the recipe trains on top of another run's adapter ({@code adapt.from-adapter}). */
  public boolean chains() {
    return this == URAE_4K;
  }

  /** Every setting the recipe makes, pipeline options and the run's default {@code width} and {@code height}. */
  public Map<String, String> settings() {
    Map<String, String> all = new LinkedHashMap<>(options);
    all.put("width", Integer.toString(side));
    all.put("height", Integer.toString(side));
    return all;
  }

  /** One setting whose value in a run differs from the recipe's. */
  public record Deviation(String option, String recipeValue, String runValue) {
    @Override
    public String toString() {
      return option + " = " + runValue + " (recipe: " + recipeValue + ")";
    }
  }

  /** The settings of {@code configuration} (a run's options) that differ from this recipe's; numbers compare by value. */
  public List<Deviation> deviations(Map<String, String> configuration) {
    List<Deviation> deviations = new ArrayList<>();
    settings().forEach((name, value) -> {
      String actual = configuration.get(name);
      if (actual != null && !same(value, actual)) deviations.add(new Deviation(name, value, actual));
    });
    return deviations;
  }

  private static boolean same(String a, String b) {
    if (a.strip().equalsIgnoreCase(b.strip())) return true;
    try {
      return Double.parseDouble(a) == Double.parseDouble(b);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** For {@code urae run --help}: the recipe, what it is and every value it sets, in lines of at most 78 characters. */
  public List<String> helpLines() {
    StringBuilder text = new StringBuilder(description).append(". Sets: width=height=").append(side);
    options.forEach((name, value) -> text.append(", ").append(name).append('=').append(value));
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-8s ", label));
    String indent = " ".repeat(line.length());
    for (String word : text.toString().split(" ")) {
      boolean fresh = line.length() == indent.length();
      if (!fresh && line.length() + 1 + word.length() > 78) {
        lines.add(line.toString());
        line = new StringBuilder(indent);
        fresh = true;
      }
      line.append(fresh ? "" : " ").append(word);
    }
    lines.add(line.toString());
    return lines;
  }
}
