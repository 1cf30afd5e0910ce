package dev.urae.model.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an optimizer needs to continue: named float32 tensors (moments, anchors) and named
 * scalars, kept as exact decimal strings ({@link Double#toString}) so they survive a
 * round trip through a file's metadata bit for bit.
 */
public final class OptimizerState {
  private final String kind;
  private final Map<String, StateTensor> tensors;
  private final Map<String, String> scalars;

  public OptimizerState(String kind, Map<String, StateTensor> tensors, Map<String, String> scalars) {
    this.kind = Objects.requireNonNull(kind, "kind == null");
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    this.scalars = Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
  }

  /** Which optimizer wrote this state ("adamw", "prodigy"). */
  public String kind() {
    return kind;
  }

  public Map<String, StateTensor> tensors() {
    return tensors;
  }

  public Map<String, String> scalars() {
    return scalars;
  }

  double scalar(String name) {
    String value = scalars.get(name);
    if (value == null) throw new IllegalArgumentException(kind + " optimizer state has no scalar " + name);
    return Double.parseDouble(value);
  }

  StateTensor tensor(String name) {
    StateTensor value = tensors.get(name);
    if (value == null) throw new IllegalArgumentException(kind + " optimizer state has no tensor " + name);
    return value;
  }

  /** A named float32 tensor of an optimizer's state. */
  public record StateTensor(long[] shape, float[] values) {
    public StateTensor {
      long size = 1;
      for (long d : shape) size *= d;
      if (size != values.length) throw new IllegalArgumentException("state tensor of " + values.length + " values cannot have shape " + java.util.Arrays.toString(shape));
    }
  }
}
