package dev.urae.batch.cli;

import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.checkpoint.CheckpointDigest;
import dev.urae.model.checkpoint.CheckpointLayout;
import dev.urae.model.flux.FluxConfig;
import dev.urae.model.flux.FluxConfigJson;
import dev.urae.model.flux.FluxLayout;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.pipeline.CheckpointInspection;
import dev.urae.model.pipeline.FluxCheckpointConverter;
import dev.urae.model.pipeline.FluxCheckpointInit;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.TensorSpec;
import dev.urae.model.vae.VaeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code urae model describe|inspect|convert|init}: presets and checkpoints, from headers and
 * configs alone (nothing is loaded onto a device).
 */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Describe presets; inspect, convert and create checkpoints.",
    subcommands = {ModelCommand.Describe.class, ModelCommand.Inspect.class, ModelCommand.Convert.class, ModelCommand.Init.class})
public final class ModelCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required (see urae model --help)");
  }

  /** Prints the configuration and parameter count, optionally every tensor. */
  @Command(name = "describe", mixinStandardHelpOptions = true,
      description = {"Print a preset's configuration and parameter count (no weights are allocated).",
          "Presets: tiny, demo, flux-dev, flux-schnell."})
  static final class Describe implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--preset", required = true, description = "tiny, demo, flux-dev or flux-schnell.")
    String preset;

    @Option(names = "--tensors", description = "Also list every parameter name and shape (diffusers names).")
    boolean tensors;

    @Override
    public void run() {
      FluxConfig config;
      try {
        config = FluxPresets.byName(preset);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--preset: " + e.getMessage());
      }
      FluxLayout layout = FluxLayout.of(config);
      PrintWriter out = spec.commandLine().getOut();
      out.println(config);
      out.printf(Locale.ROOT, "parameters: %,d in %d tensors%n", layout.parameterCount(), layout.tensors().size());
      if (tensors) {
        for (TensorSpec t : layout.tensors()) out.println(t.name() + "\t" + shape(t));
      }
      out.flush();
    }

    private static String shape(TensorSpec t) {
      StringBuilder b = new StringBuilder("[");
      long[] dims = t.shape().getShape();
      for (int i = 0; i < dims.length; i++) b.append(i == 0 ? "" : ", ").append(dims[i]);
      return b.append(']').toString();
    }
  }

  /** Prints layout, components, sizes, dtypes, loaded memory and every problem; exit code 1 when there are problems. */
  @Command(name = "inspect", mixinStandardHelpOptions = true,
      description = {"Describe a checkpoint from its headers and configs (seconds even for FLUX.1-dev): layout, components,",
          "tensors, parameters, stored size and dtypes, the transformer's weight memory as loaded, and every",
          "missing, unexpected, mis-shaped or broken tensor and file at once. Exit code 1 when there are problems."})
  static final class Inspect implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "A diffusers folder (model_index.json), a component folder, or a .safetensors file (BFL or diffusers names).")
    Path path;

    @Option(names = "--preset", description = "Fills transformer configuration gaps (default: the preset with the checkpoint's head dim).")
    String preset;

    @Override
    public Integer call() throws IOException {
      CheckpointInspection inspection = CheckpointInspection.of(Checkpoint.read(path), preset(spec, preset));
      PrintWriter out = spec.commandLine().getOut();
      inspection.print(out);
      if (!inspection.problems().isEmpty()) return 1;
      // What a run records as the model's weights (urae run --model): a few MB read, not the whole checkpoint.
      long start = System.nanoTime();
      String digest = CheckpointDigest.of(path);
      out.printf(Locale.ROOT, "weights digest: %s (%d ms)%n", digest, (System.nanoTime() - start) / 1_000_000);
      out.flush();
      return 0;
    }
  }

  /** BFL single file to the diffusers layout. */
  @Command(name = "convert", mixinStandardHelpOptions = true,
      description = {"Convert a BFL single-file transformer (flux1-dev.safetensors, flux1-schnell.safetensors) or autoencoder",
          "(ae.safetensors) to the diffusers layout: OUT/transformer/ or OUT/vae/, config.json and sharded weights under",
          "diffusers names, bytes copied as stored."})
  static final class Convert implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "The BFL .safetensors file.")
    Path path;

    @Option(names = "--to", required = true, description = "Target layout: diffusers.")
    String to;

    @Option(names = "--out", required = true, description = "Output folder (the transformer goes to OUT/transformer, the autoencoder to OUT/vae).")
    Path out;

    @Option(names = "--preset", description = "Fills configuration gaps (axes_dims_rope); default: the preset with the file's head dim.")
    String preset;

    @Option(names = "--max-shard-bytes", defaultValue = "10000000000", description = "Largest shard (default ${DEFAULT-VALUE}, diffusers' 10GB).")
    long maxShardBytes;

    @Override
    public Integer call() throws IOException {
      if (!to.equals("diffusers")) throw new ParameterException(spec.commandLine(), "--to: only 'diffusers' is supported, got '" + to + "'");
      if (maxShardBytes <= 0) throw new ParameterException(spec.commandLine(), "--max-shard-bytes must be positive");
      Checkpoint checkpoint = Checkpoint.read(path);
      PrintWriter w = spec.commandLine().getOut();
      if (checkpoint.layout() == CheckpointLayout.BFL_VAE) {
        VaeConfig config = FluxCheckpointConverter.vaeToDiffusers(checkpoint, out, maxShardBytes);
        w.println("wrote " + out.resolve("vae") + ": " + config + " (scaling_factor and shift_factor are FLUX's; ae.safetensors does not store them)");
      } else {
        FluxConfig config = FluxCheckpointConverter.toDiffusers(checkpoint, preset(spec, preset), out, maxShardBytes);
        w.println("wrote " + out.resolve("transformer") + ": " + config);
      }
      w.flush();
      return 0;
    }
  }

  /** A random-weight checkpoint with every component. */
  @Command(name = "init", mixinStandardHelpOptions = true,
      description = {"Write a complete random-weight checkpoint in the diffusers layout (model_index.json, scheduler,",
          "transformer, CLIP-L and T5 text encoders and minimal tokenizers, VAE sized to fit the transformer), usable by urae run --model."})
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Architecture shape;

    static final class Architecture {
      @Option(names = "--preset", required = true, description = "tiny, demo, flux-dev or flux-schnell.")
      String preset;

      @Option(names = "--config", required = true, description = "A FluxTransformer2DModel config.json; missing fields from the preset with its head dim.")
      Path config;
    }

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--weights", defaultValue = "RANDOM",
        description = "RANDOM (default), or ZEROS: shape-only, zeros left as holes in sparse files, written at once at any size.")
    FluxCheckpointInit.Weights weights;

    @Option(names = "--tokenizers-from", paramLabel = "CHECKPOINT",
        description = "Copy tokenizer/ and tokenizer_2/ from this diffusers checkpoint instead of writing minimal ones (every character a token; real vocabularies do not ship with urae).")
    Path tokenizersFrom;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dtype", defaultValue = "BF16", description = "Stored dtype: BF16, F16 or F32 (default ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--max-shard-bytes", defaultValue = "10000000000", description = "Largest shard (default ${DEFAULT-VALUE}, diffusers' 10GB).")
    long maxShardBytes;

    @Override
    public Integer call() throws IOException {
      DType stored;
      try {
        stored = DType.valueOf(dtype.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--dtype: use BF16, F16 or F32, got '" + dtype + "'");
      }
      FluxConfig config;
      try {
        config = shape.preset != null ? preset(spec, shape.preset) : FluxConfigJson.read(shape.config, null);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--config " + e.getMessage());
      }
      FluxCheckpointInit init;
      try {
        init = new FluxCheckpointInit(out, weights, seed, stored, maxShardBytes);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      List<String> written = init.write(config);
      if (tokenizersFrom != null) written = init.copyTokenizers(tokenizersFrom);
      PrintWriter w = spec.commandLine().getOut();
      w.println("wrote " + out + ": " + String.join(", ", written) + " (" + config + ", " + stored + ")");
      w.flush();
      return 0;
    }
  }

  private static FluxConfig preset(CommandSpec spec, String name) {
    if (name == null) return null;
    try {
      return FluxPresets.byName(name);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--preset: " + e.getMessage());
    }
  }
}
