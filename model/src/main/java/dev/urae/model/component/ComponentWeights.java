package dev.urae.model.component;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.urae.model.tensors.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks and loads a component's weights for the float32 models of this package's users. */
public final class ComponentWeights {
  private ComponentWeights() {}

  /**
   * Returns {@code weights} when it holds every tensor of {@code config}'s layout with the right
   * shape in float32; otherwise one error listing every missing, mis-shaped or non-float32 name.
   */
  public static Map<String, NDArray> require(ComponentConfig config, Map<String, NDArray> weights) {
    List<String> problems = new ArrayList<>();
    for (TensorSpec spec : config.layout()) {
      NDArray a = weights.get(spec.name());
      if (a == null) problems.add(spec.name() + ": missing");
      else if (!a.getShape().equals(spec.shape())) problems.add(spec.name() + ": shape " + a.getShape() + ", expected " + spec.shape());
      else if (a.getDataType() != DataType.FLOAT32) problems.add(spec.name() + ": " + a.getDataType() + ", expected float32");
    }
    if (!problems.isEmpty()) throw new IllegalArgumentException(problems.size() + " weight problems: " + String.join("; ", problems));
    return Map.copyOf(weights);
  }
}
