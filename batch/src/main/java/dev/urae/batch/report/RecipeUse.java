package dev.urae.batch.report;

import java.util.List;
import java.util.Objects;

/**
 * The recipe a run followed ({@code none}: the demo defaults) and every setting in which the run
 * deviated from it, as the report states them.
 */
public record RecipeUse(String name, List<Deviation> deviations) {
  public static final RecipeUse NONE = new RecipeUse("none", List.of());

  /** One setting whose value in the run differs from the recipe's. */
  public record Deviation(String option, String recipeValue, String runValue) {
    public Deviation {
      Objects.requireNonNull(option, "option == null");
    }
  }

  public RecipeUse {
    Objects.requireNonNull(name, "name == null");
    deviations = deviations == null ? List.of() : List.copyOf(deviations);
  }
}
