package dev.urae.batch.cli;

import dev.urae.batch.stages.DeviceMemory;
import dev.urae.batch.stages.PipelineOptions;
import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.adapter.AdapterTargets;
import dev.urae.model.checkpoint.CheckpointException;
import dev.urae.model.plan.MemoryPlan;
import dev.urae.model.plan.MemoryPlanner;
import dev.urae.model.plan.ModelShapes;
import dev.urae.model.plan.Workload;
import dev.urae.model.vae.VaeTiling;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code urae plan}: the estimated peak device memory of every GPU stage for one model,
 * resolution and adapter, and whether it fits. Exit status 0 when every stage fits, 3 when one
 * does not.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {"Estimate the peak device memory of each GPU stage (weights, activations with and without checkpointing,",
        "adapter + optimizer state, VAE tiles) and whether it fits. Exit status 0 when every stage fits, 3 otherwise."})
public final class PlanCommand implements Callable<Integer> {
  static final int DOES_NOT_FIT = 3;

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "PATH|PRESET",
      description = "A preset (flux-dev, flux-schnell, demo, tiny; no weights needed) or a checkpoint folder or file (configs and headers are read).")
  String model;

  @Option(names = "--width", required = true, description = "Image width in pixels.")
  int width;

  @Option(names = "--height", required = true, description = "Image height in pixels.")
  int height;

  @Option(names = "--adapter", defaultValue = "lora", description = "lora (2K stage) or minor (minor components, 4K stage); default ${DEFAULT-VALUE}.")
  String adapter;

  @Option(names = "--rank", defaultValue = "16", description = "Adapter rank (default ${DEFAULT-VALUE}).")
  int rank;

  @Option(names = "--optimizer", defaultValue = "prodigy", description = "prodigy or adamw (default ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--device-memory", defaultValue = "80GiB", description = "Device memory, e.g. 80GiB, 141GB (default ${DEFAULT-VALUE}).")
  String deviceMemory;

  @Option(names = "--precision", defaultValue = "bf16", description = "bf16 (mixed precision: bf16 frozen weights and checkpointed block inputs) or fp32 (default ${DEFAULT-VALUE}); other activations are counted in fp32 either way, as the code keeps them.")
  String precision;

  @Option(names = "--no-checkpointing", description = "Plan training without activation checkpointing.")
  boolean noCheckpointing;

  @Option(names = "--fused-copies", description = "Count a second, concatenated copy of fused q/k/v(/mlp) weights.")
  boolean fusedCopies;

  @Option(names = "--vae-tile", defaultValue = "1024/256", paramLabel = "TILE[/OVERLAP]|off",
      description = "VAE tiling as the vae.tile option takes it, in pixels (default ${DEFAULT-VALUE}); off plans the whole image as one tile.")
  String vaeTile;

  @Override
  public Integer call() throws CheckpointException {
    Workload workload;
    try {
      ModelShapes shapes = ModelShapes.resolve(model);
      int bytes = switch (precision) {
        case "bf16" -> 2;
        case "fp32" -> 4;
        default -> throw new IllegalArgumentException("--precision must be bf16 or fp32, got '" + precision + "'");
      };
      if (!optimizer.equals("prodigy") && !optimizer.equals("adamw")) {
        throw new IllegalArgumentException("--optimizer must be prodigy or adamw, got '" + optimizer + "'");
      }
      VaeTiling tiling;
      try {
        tiling = PipelineOptions.vaeTiling(vaeTile);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--vae-tile '" + vaeTile + "': " + e.getMessage() + "; e.g. 1024/256 (the default) or off", e);
      }
      workload = new Workload(shapes.name(), shapes.transformer(), shapes.vae(), shapes.textEncoderParameters(), shapes.textTokens(),
          width, height, AdapterKind.parse(adapter), rank, AdapterTargets.URAE, optimizer, bytes, !noCheckpointing, fusedCopies,
          Workload.vaeTileSide(tiling, width, height), parseBytes(deviceMemory));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    MemoryPlan plan = MemoryPlanner.plan(workload);
    java.io.PrintWriter out = spec.commandLine().getOut();
    out.print(plan.table());
    out.println(plan.fits() ? "every stage fits" : "a stage does not fit: see the rows marked NO");
    out.flush();
    return plan.fits() ? 0 : DOES_NOT_FIT;
  }

  /** "80GiB", "141GB", "512MiB", or plain bytes. */
  static long parseBytes(String text) {
    return DeviceMemory.parse(text, "--device-memory");
  }
}
