package dev.urae.model.checkpoint;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.urae.model.tensors.TensorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One component of a checkpoint: its name ({@code transformer}, {@code text_encoder},
 * {@code tokenizer_2}, {@code vae}, {@code scheduler}), where it lives, the class that
 * {@code model_index.json} or its config names, its configuration ({@code config.json} or
 * {@code scheduler_config.json}; an empty object when there is none) and its tensors, in the
 * names of the diffusers/transformers model (headers only; load them with {@link TensorLoader}).
 */
public final class Component {
  private final String name;
  private final Path location;
  private final String className;
  private final JsonNode config;
  private final TensorSet tensors;

  Component(String name, Path location, String className, JsonNode config, TensorSet tensors) {
    this.name = Objects.requireNonNull(name, "name == null");
    this.location = Objects.requireNonNull(location, "location == null");
    this.className = className;
    this.config = Objects.requireNonNull(config, "config == null");
    this.tensors = Objects.requireNonNull(tensors, "tensors == null");
  }

  /** The component's name in the pipeline ({@code transformer}, {@code text_encoder_2}, …). */
  public String name() {
    return name;
  }

  /** Its folder, or the single file it was read from. */
  public Path location() {
    return location;
  }

  /** The class named by {@code model_index.json} or the config's {@code _class_name} ({@code CLIPTextModel}, …). */
  public Optional<String> className() {
    return Optional.ofNullable(className);
  }

  /** The parsed configuration; an empty object when the component has none. */
  public JsonNode config() {
    return config;
  }

  /** Its tensors by name, headers only. */
  public TensorSet tensors() {
    return tensors;
  }

  /** A file inside the component's folder (tokenizer files, for instance). */
  public Path file(String relative) {
    return Files.isDirectory(location) ? location.resolve(relative) : location.resolveSibling(relative);
  }

  /** Whether the component's folder holds {@code relative}. */
  public boolean hasFile(String relative) {
    return Files.isRegularFile(file(relative));
  }

  /**
   * Compares the stored tensors with what a model expects: every missing, unexpected and
   * mis-shaped tensor and every tensor that is not a float type, each naming its file.
   */
  public List<CheckpointProblem> mismatches(List<TensorSpec> expected) {
    List<CheckpointProblem> problems = new ArrayList<>();
    Map<String, Shape> wanted = new LinkedHashMap<>();
    for (TensorSpec spec : expected) wanted.put(spec.name(), spec.shape());
    for (Map.Entry<String, Shape> e : wanted.entrySet()) {
      if (!tensors.contains(e.getKey())) {
        problems.add(new CheckpointProblem(location, e.getKey(), "missing: " + name + " needs it with shape " + StoredTensor.text(e.getValue())));
        continue;
      }
      StoredTensor t = tensors.get(e.getKey());
      if (!t.shape().equals(e.getValue())) {
        problems.add(new CheckpointProblem(fileOf(t), t.name(), "stored with shape " + t.shapeText() + ", expected " + StoredTensor.text(e.getValue())));
      }
      if (!t.dtype().isFloating()) {
        problems.add(new CheckpointProblem(fileOf(t), t.name(), "stored as " + t.dtype() + ", expected a float type (F32, F16 or BF16)"));
      }
    }
    for (StoredTensor t : tensors.all()) {
      if (!wanted.containsKey(t.name())) problems.add(new CheckpointProblem(fileOf(t), t.name(), "unexpected: " + name + " has no such parameter"));
    }
    return problems;
  }

  private Path fileOf(StoredTensor t) {
    return t.ranges().isEmpty() ? location : t.ranges().get(0).file();
  }

  @Override
  public String toString() {
    return name + " (" + (className == null ? "?" : className) + ", " + tensors.size() + " tensors) at " + location;
  }
}
