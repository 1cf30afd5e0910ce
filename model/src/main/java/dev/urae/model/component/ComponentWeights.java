package dev.urae.model.component;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import dev.urae.model.checkpoint.CheckpointException;
import dev.urae.model.checkpoint.CheckpointProblem;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.checkpoint.StoredTensor;
import dev.urae.model.checkpoint.TensorLoader;
import dev.urae.model.tensors.TensorSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a component's weights for the float32 models (text encoders, VAE): every tensor of the
 * configuration's layout, found under its stored name ({@link ComponentConfig#storedName}),
 * read in its stored dtype onto the manager's device and widened there to float32. All
 * missing, mis-shaped and unexpected tensors are reported at once, before anything is read.
 */
public final class ComponentWeights {
  private ComponentWeights() {}

  /** Loads {@code config}'s tensors from {@code component} into {@code manager}, keyed by layout name. */
  public static Map<String, NDArray> load(Component component, ComponentConfig config, NDManager manager) throws IOException {
    Set<String> stored = component.tensors().names();
    List<TensorSpec> expected = new ArrayList<>();
    Map<String, String> storedNames = new LinkedHashMap<>();
    for (TensorSpec spec : config.layout()) {
      String name = config.storedName(spec.name(), stored);
      storedNames.put(spec.name(), name);
      expected.add(new TensorSpec(name, spec.shape()));
    }
    List<CheckpointProblem> problems = new ArrayList<>();
    for (CheckpointProblem p : component.mismatches(expected)) {
      boolean unexpected = p.tensor() != null && !storedNames.containsValue(p.tensor());
      if (!(unexpected && config.ignorable(p.tensor()))) problems.add(p);
    }
    if (!problems.isEmpty()) throw new CheckpointException(component.location(), problems);
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : storedNames.entrySet()) {
      StoredTensor tensor = component.tensors().get(e.getValue());
      NDArray array = TensorLoader.load(tensor, manager, manager.getDevice());
      if (array.getDataType() != DataType.FLOAT32) {
        NDArray wide = array.toType(DataType.FLOAT32, false);
        array.close();
        NDScope.unregister(wide);
        array = wide;
      }
      out.put(e.getKey(), array);
    }
    return out;
  }
}
