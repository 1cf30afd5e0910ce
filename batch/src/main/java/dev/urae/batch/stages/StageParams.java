package dev.urae.batch.stages;

import dev.urae.batch.task.TaskSpec;
import dev.urae.model.nn.Precision;
import java.util.Map;
import java.util.TreeMap;

/** Typed reads of the run options a task spec carries, with errors naming the option. */
public final class StageParams {
  /** The comma-separated item ids a render or report task covers. */
  public static final String RENDER_ITEMS = "render.items";

  private final TaskSpec spec;

  public StageParams(TaskSpec spec) {
    this.spec = spec;
  }

  public String text(String name) {
    String value = spec.param(name, null);
    if (value == null) value = defaultOf(name);
    return value;
  }

  /** A value the orchestrator recorded at launch (no default), or null when the spec has none. */
  public String recorded(String name) {
    return spec.param(name, null);
  }

  public int integer(String name) {
    try {
      return Integer.parseInt(text(name).strip());
    } catch (NumberFormatException e) {
      throw bad(name, "an integer");
    }
  }

  public double number(String name) {
    try {
      return Double.parseDouble(text(name).strip());
    } catch (NumberFormatException e) {
      throw bad(name, "a number");
    }
  }

  public boolean flag(String name) {
    String value = text(name).strip();
    if (!value.equals("true") && !value.equals("false")) throw bad(name, "true or false");
    return Boolean.parseBoolean(value);
  }

  /** A precision option ({@code auto}, {@code bf16} or {@code fp32}) for a stage computing on a GPU or not. */
  public Precision precision(String name, boolean gpu) {
    return Precision.parse(text(name), gpu, "pipeline option " + name);
  }

  /** An option that is {@code auto}, {@code true} or {@code false}; {@code auto} means {@code whenAuto}. */
  public boolean flag(String name, boolean whenAuto) {
    String value = text(name).strip();
    if (value.equals("auto")) return whenAuto;
    if (!value.equals("true") && !value.equals("false")) throw bad(name, "auto, true or false");
    return Boolean.parseBoolean(value);
  }

  /** Every option, for teachers that read their own ({@code teacher.http.*}). */
  public Map<String, String> all() {
    return new TreeMap<>(spec.params());
  }

  private static String defaultOf(String name) {
    PipelineOptions.Option known = PipelineOptions.DEFAULTS.get(name);
    if (known == null) throw new IllegalArgumentException("no pipeline option '" + name + "'");
    return known.defaultValue();
  }

  private IllegalArgumentException bad(String name, String what) {
    return new IllegalArgumentException("pipeline option " + name + " must be " + what + ", got '" + text(name) + "'");
  }
}
