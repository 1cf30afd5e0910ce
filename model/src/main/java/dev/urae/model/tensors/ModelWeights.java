package dev.urae.model.tensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads and saves {@link NamedParameters} (the transformer, the demo text encoder) as
 * safetensors keyed by parameter name: diffusers names for the transformer, so a FLUX
 * checkpoint loads directly. BF16 and F16 checkpoints are widened to float32.
 */
public final class ModelWeights {
  private ModelWeights() {}

  /**
   * Loads every parameter of {@code target} from {@code file}. Nothing is changed unless the
   * file matches completely.
   *
   * @throws WeightMismatchException listing every missing, unexpected and mis-shaped tensor
   */
  public static void load(NamedParameters target, Path file) throws IOException {
    try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
      checkMatches(target, in);
      for (TensorSpec spec : target.layout()) {
        NDManager manager = target.parameters().get(spec.name()).getManager();
        target.setParameter(spec.name(), in.load(spec.name(), manager));
      }
    }
  }

  /** Throws {@link WeightMismatchException} unless {@code in} holds exactly {@code target}'s tensors. */
  public static void checkMatches(NamedParameters target, SafeTensorsFile in) throws WeightMismatchException {
    Map<String, Shape> expected = new LinkedHashMap<>();
    for (TensorSpec spec : target.layout()) expected.put(spec.name(), spec.shape());
    List<String> missing = new ArrayList<>();
    List<String> misshaped = new ArrayList<>();
    for (Map.Entry<String, Shape> e : expected.entrySet()) {
      if (!in.contains(e.getKey())) {
        missing.add(e.getKey());
      } else if (!in.entry(e.getKey()).shape().equals(e.getValue())) {
        misshaped.add(e.getKey() + ": file " + in.entry(e.getKey()).shapeText() + ", model " + text(e.getValue()));
      }
    }
    List<String> unexpected = new ArrayList<>();
    for (String name : in.names()) if (!expected.containsKey(name)) unexpected.add(name);
    if (!missing.isEmpty() || !unexpected.isEmpty() || !misshaped.isEmpty()) {
      throw new WeightMismatchException(in.path(), missing, unexpected, misshaped);
    }
  }

  /** Saves every parameter of {@code source} in {@code dtype} (F32, F16 or BF16) with optional metadata. */
  public static void save(NamedParameters source, Path file, DType dtype, Map<String, String> metadata) throws IOException {
    SafeTensorsWriter writer = new SafeTensorsWriter().metadata(metadata);
    for (Map.Entry<String, NDArray> e : source.parameters().entrySet()) writer.add(e.getKey(), e.getValue(), dtype);
    writer.write(file);
  }

  private static String text(Shape shape) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < shape.dimension(); i++) b.append(i == 0 ? "" : ", ").append(shape.get(i));
    return b.append(']').toString();
  }
}
