package dev.urae.batch.cli;

import dev.urae.model.flux.FluxConfig;
import dev.urae.model.flux.FluxLayout;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.tensors.TensorSpec;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code urae model describe --preset NAME [--tensors]}: a preset's shape, without allocating weights. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Inspect the diffusion transformer presets.",
    subcommands = {ModelCommand.Describe.class})
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
}
