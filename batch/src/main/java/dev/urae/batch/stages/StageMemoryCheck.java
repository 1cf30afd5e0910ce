package dev.urae.batch.stages;

import ai.djl.engine.Engine;
import dev.urae.batch.manifest.ManifestItem;
import dev.urae.batch.task.PermanentTaskFailure;
import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.adapter.AdapterTargets;
import dev.urae.model.checkpoint.CheckpointException;
import dev.urae.model.plan.MemoryPlan;
import dev.urae.model.plan.MemoryPlanner;
import dev.urae.model.plan.ModelShapes;
import dev.urae.model.plan.StageEstimate;
import dev.urae.model.plan.Workload;
import dev.urae.model.vae.VaeTiling;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The memory plan ({@code urae plan}) for a run's model, image size and adapter, checked against
 * a device's memory ({@link DeviceMemory}). Every GPU stage (cache, adapt, render) runs it before
 * it loads anything and refuses with the plan's table, a permanent failure, instead of dying out
 * of memory mid-run. The launch runs it for the run's default size: always for the model's grid
 * (a size the model cannot reach), and against the memory when {@code URAE_DEVICE_MEMORY} says
 * what the devices have.
 */
public final class StageMemoryCheck {
  private static final double GIB = 1024.0 * 1024 * 1024;

  private StageMemoryCheck() {}

  /** {@link #require} for the training items of every shard the task reads (cache and adapt). */
  public static void requireForTraining(String stage, StageTask task) throws IOException {
    List<ManifestItem> items = new ArrayList<>();
    for (String shard : task.spec().inputs()) items.addAll(ItemSplit.training(task.store(), shard));
    require(stage, task.params(), items);
  }

  /**
   * Refuses when {@code stage}'s rows of the plan for the largest of {@code items} do not fit the
   * device this process computes on; logs a line and returns when its memory is unknown (a CPU
   * without {@code URAE_DEVICE_MEMORY}) or the model's shapes cannot be read before loading it.
   */
  public static void require(String stage, StageParams params, Collection<ManifestItem> items) throws IOException {
    Optional<DeviceMemory> memory = DeviceMemory.of(Engine.getInstance().defaultDevice());
    if (memory.isEmpty()) {
      System.err.println("[" + stage + "] memory plan not checked: computing on the CPU and " + DeviceMemory.ENVIRONMENT
          + " is not set (e.g. " + DeviceMemory.ENVIRONMENT + "=16GiB)");
      return;
    }
    Optional<ManifestItem> largest = items.stream().max((a, b) -> Long.compare((long) a.width() * a.height(), (long) b.width() * b.height()));
    if (largest.isEmpty()) return; // nothing to compute
    Map<String, String> options = params.all();
    options.put(PipelineOptions.MODEL, BaseModels.local(params)); // an s3:// model is planned from its staged folder
    plan(options, largest.get().width(), largest.get().height(), memory.get())
        .flatMap(plan -> refusal(plan, stage, memory.get(), model(options)))
        .ifPresent(message -> {
          throw new PermanentTaskFailure(message);
        });
  }

  /**
   * At launch, for the run's default {@code width}×{@code height}: a size not on the model's grid
   * is refused; with {@code URAE_DEVICE_MEMORY} set, so is a plan that does not fit it (bf16 when
   * the tasks run on GPUs, fp32 on this process's CPU).
   */
  public static void requireAtLaunch(Map<String, String> options, int width, int height, boolean gpu) {
    Optional<DeviceMemory> memory = DeviceMemory.configured().map(bytes -> new DeviceMemory(bytes, DeviceMemory.ENVIRONMENT, gpu));
    DeviceMemory device = memory.orElse(new DeviceMemory(Long.MAX_VALUE, "no limit", gpu));
    Optional<MemoryPlan> plan;
    try {
      plan = plan(options, width, height, device);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("run size " + width + "x" + height + " (urae.width / urae.height, or the recipe's): " + e.getMessage(), e);
    }
    if (memory.isEmpty()) return;
    plan.flatMap(p -> refusal(p, "launch", device, model(options))).ifPresent(message -> {
      throw new IllegalArgumentException(message);
    });
  }

  /**
   * The plan of a run's options at {@code width}×{@code height} on {@code memory}; empty when the
   * model's shapes cannot be read here without loading it (not a preset or a local checkpoint).
   */
  static Optional<MemoryPlan> plan(Map<String, String> options, int width, int height, DeviceMemory memory) {
    ModelShapes shapes;
    try {
      shapes = ModelShapes.resolve(model(options));
    } catch (CheckpointException | IllegalArgumentException e) {
      System.err.println("memory plan not checked: the shapes of model " + model(options) + " cannot be read here (" + e.getMessage() + ")");
      return Optional.empty();
    }
    // auto checkpoints above the base's native resolution, which is where the recipes train: planned as on
    boolean checkpointing = !value(options, PipelineOptions.ADAPT_ACTIVATION_CHECKPOINTING).strip().equals("false");
    int bytes = memory.elementBytes();
    VaeTiling tiling = PipelineOptions.vaeTiling(options);
    int vaeTile = Workload.vaeTileSide(tiling, width, height);
    return Optional.of(MemoryPlanner.plan(new Workload(shapes.name(), shapes.transformer(), shapes.vae(), shapes.textEncoderParameters(),
        shapes.textTokens(), width, height, AdapterKind.parse(value(options, PipelineOptions.ADAPT_KIND)),
        Integer.parseInt(value(options, PipelineOptions.ADAPT_RANK).strip()), AdapterTargets.URAE,
        value(options, PipelineOptions.ADAPT_OPTIMIZER).strip(), bytes, checkpointing, false, vaeTile, memory.bytes())));
  }

  /** The refusal when a row of {@code stage} (every row for {@code "launch"}) does not fit, with the table and what to do. */
  static Optional<String> refusal(MemoryPlan plan, String stage, DeviceMemory memory, String model) {
    List<String> tooBig = plan.stages().stream().filter(s -> stage.equals("launch") || s.stage().startsWith(stage))
        .filter(s -> !plan.fits(s)).map(StageEstimate::stage).toList();
    if (tooBig.isEmpty()) return Optional.empty();
    Workload w = plan.workload();
    return Optional.of(String.format(Locale.ROOT,
        "%s refused before it started: the memory plan of %s at %dx%d does not fit the device (%.1f GiB, from %s) in %s%n%s"
            + "what to do: a smaller width/height, a lower adapt.rank, or a device with more memory;"
            + " urae plan --model %s --width %d --height %d --adapter %s --rank %d --optimizer %s --precision %s --vae-tile %d --device-memory %.1fGiB"
            + " prints this table",
        stage, model, w.width(), w.height(), memory.bytes() / GIB, memory.source(), String.join(", ", tooBig), plan.table(), model,
        w.width(), w.height(), w.adapter().name().toLowerCase(Locale.ROOT), w.rank(), w.optimizer(), memory.gpu() ? "bf16" : "fp32",
        w.vaeTile(), memory.bytes() / GIB));
  }

  private static String model(Map<String, String> options) {
    return value(options, PipelineOptions.MODEL);
  }

  private static String value(Map<String, String> options, String name) {
    return options.getOrDefault(name, PipelineOptions.DEFAULTS.get(name).defaultValue());
  }
}
