package dev.urae.model.pipeline;

import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.checkpoint.CheckpointLayout;
import dev.urae.model.checkpoint.CheckpointProblem;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.checkpoint.TensorSet;
import dev.urae.model.flux.FluxConfig;
import dev.urae.model.flux.FluxConfigJson;
import dev.urae.model.flux.FluxLayout;
import dev.urae.model.tensors.DType;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code urae model inspect} prints, from headers and configs alone: layout, each
 * component's class, tensor and parameter counts, stored size and dtypes, the transformer's
 * configuration and the memory its weights take as loaded (stored dtypes, nothing
 * duplicated), then every problem of the checkpoint at once.
 */
public final class CheckpointInspection {
  private final Checkpoint checkpoint;
  private final FluxConfig transformerConfig;
  private final List<CheckpointProblem> problems;

  private CheckpointInspection(Checkpoint checkpoint, FluxConfig transformerConfig, List<CheckpointProblem> problems) {
    this.checkpoint = checkpoint;
    this.transformerConfig = transformerConfig;
    this.problems = List.copyOf(problems);
  }

  /** Inspects {@code checkpoint}; {@code preset} fills transformer configuration gaps (null: by head dim). */
  public static CheckpointInspection of(Checkpoint checkpoint, FluxConfig preset) {
    List<CheckpointProblem> problems = new ArrayList<>(checkpoint.problems());
    FluxConfig config = null;
    Component transformer = checkpoint.components().get("transformer");
    if (transformer != null) {
      try {
        config = FluxConfigJson.of(transformer, preset);
        problems.addAll(transformer.mismatches(FluxLayout.of(config).tensors()));
      } catch (IllegalArgumentException e) {
        problems.add(CheckpointProblem.of(transformer.location(), e.getMessage()));
      }
    }
    for (Component c : checkpoint.components().values()) {
      try {
        FluxComponents.of(c).ifPresent(expected -> problems.addAll(c.mismatches(expected.layout())));
      } catch (IllegalArgumentException e) {
        problems.add(CheckpointProblem.of(c.location(), e.getMessage()));
      }
    }
    return new CheckpointInspection(checkpoint, config, problems);
  }

  /** Every problem: reading, then tensors that do not match the configuration. */
  public List<CheckpointProblem> problems() {
    return problems;
  }

  /** The transformer's configuration, or null when there is no transformer or it is unusable. */
  public FluxConfig transformerConfig() {
    return transformerConfig;
  }

  /** Prints the report. */
  public void print(PrintWriter out) {
    out.println(checkpoint.path() + ": " + (checkpoint.layout() == null ? "unknown layout" : checkpoint.layout().description()));
    out.printf(Locale.ROOT, "%-16s %-34s %8s %16s %12s  %s%n", "component", "class", "tensors", "parameters", "stored", "dtypes");
    for (Map.Entry<String, Component> e : checkpoint.components().entrySet()) {
      Component c = e.getValue();
      TensorSet t = c.tensors();
      out.printf(Locale.ROOT, "%-16s %-34s %8d %,16d %12s  %s%n", e.getKey(), c.className().orElse("?"), t.size(), t.parameterCount(),
          gigabytes(t.byteLength()), dtypes(t));
    }
    if (transformerConfig != null) {
      Component transformer = checkpoint.components().get("transformer");
      TensorSet t = transformer.tensors();
      out.println("transformer: " + transformerConfig);
      out.printf(Locale.ROOT, "transformer weights as loaded (FluxTransformer.load keeps stored dtypes, no fused copies): %,d bytes (%s)"
          + " = parameter bytes %s; float32 would take %s%n",
          t.byteLength(), gigabytes(t.byteLength()), parameterBytes(t), gigabytes(4 * t.parameterCount()));
    }
    if (checkpoint.layout() == CheckpointLayout.BFL_VAE) {
      out.println("vae: config inferred from tensor shapes; scaling_factor 0.3611, shift_factor 0.1159 and norm_num_groups 32 are FLUX's, not in the file");
    }
    if (problems.isEmpty()) {
      out.println("problems: none");
    } else {
      out.println(problems.size() + (problems.size() == 1 ? " problem:" : " problems:"));
      for (CheckpointProblem p : problems) out.println("  - " + p);
    }
    out.flush();
  }

  private static String parameterBytes(TensorSet t) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<DType, Long> e : t.parametersByDType().entrySet()) {
      if (b.length() > 0) b.append(" + ");
      b.append(String.format(Locale.ROOT, "%,d × %d (%s)", e.getValue(), e.getKey().bytes(), e.getKey()));
    }
    return b.toString();
  }

  private static String dtypes(TensorSet t) {
    List<String> names = new ArrayList<>();
    for (DType d : t.parametersByDType().keySet()) names.add(d.name());
    return String.join(", ", names);
  }

  private static String gigabytes(long bytes) {
    return bytes >= 1_000_000_000L ? String.format(Locale.ROOT, "%.2f GB", bytes / 1e9) : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
