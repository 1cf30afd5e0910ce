package dev.urae.batch.cli;

import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.adapter.AdapterSpec;
import dev.urae.model.adapter.AdapterTargets;
import dev.urae.model.adapter.BaseWeights;
import dev.urae.model.svd.DecompositionCache;
import dev.urae.model.svd.FolderDecompositionCache;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code urae adapter init|merge|export}: adapters as files, without a job repository. */
@Command(
    name = "adapter",
    mixinStandardHelpOptions = true,
    description = "Create, merge and export LoRA and minor-component adapters (exit 1 on a missing or invalid file).",
    subcommands = {AdapterCommand.Init.class, AdapterCommand.Merge.class, AdapterCommand.Export.class})
public final class AdapterCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required (see urae adapter --help)");
  }

  static Path existing(Path file, String option) throws NoSuchFileException {
    if (!Files.isRegularFile(file)) throw new NoSuchFileException(option + " " + file + ": no such file; give the path of a .safetensors file");
    return file;
  }

  /** {@code urae adapter init}: a fresh adapter for a base model's weights. */
  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Initialise a LoRA (gaussian A, zero B) or minor-component adapter (smallest singular triplets) from base weights.")
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--kind", required = true, paramLabel = "lora|minor", description = "Adapter kind.")
    String kind;

    @Option(names = "--rank", required = true, paramLabel = "R", description = "Rank r.")
    int rank;

    @Option(names = "--alpha", paramLabel = "A", description = "LoRA alpha (default: the rank; scale alpha/r).")
    Float alpha;

    @Option(names = "--targets", paramLabel = "PATTERNS", defaultValue = "urae",
        description = "Comma-separated module patterns, * for a block index, or 'urae' (default: ${DEFAULT-VALUE}).")
    String targets;

    @Option(names = "--base", required = true, paramLabel = "BASE.safetensors", description = "Base transformer weights (diffusers names).")
    Path base;

    @Option(names = "--out", required = true, paramLabel = "A.safetensors", description = "Adapter file to write.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of LoRA's gaussian A (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--svd-cache", paramLabel = "DIR", description = "Folder caching decompositions across runs (minor only).")
    Path svdCache;

    @Override
    public Integer call() throws Exception {
      AdapterSpec adapterSpec;
      try {
        AdapterSpec.Builder b = AdapterSpec.builder().setKind(AdapterKind.parse(kind)).setRank(rank).optTargets(AdapterTargets.parse(targets));
        if (alpha != null) b.optAlpha(alpha);
        adapterSpec = b.build();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      DecompositionCache cache = svdCache == null ? DecompositionCache.none() : new FolderDecompositionCache(svdCache);
      int layers = BaseWeights.initAdapter(existing(base, "--base"), adapterSpec, seed, cache, out);
      PrintWriter w = spec.commandLine().getOut();
      w.println("wrote " + out + ": " + adapterSpec + ", " + layers + " layers");
      w.flush();
      return 0;
    }
  }

  /** {@code urae adapter merge}: base weights with an adapter folded in. */
  @Command(name = "merge", mixinStandardHelpOptions = true,
      description = "Merge an adapter (urae format or diffusers LoRA) into base weights and write them as float32.")
  static final class Merge implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--base", required = true, paramLabel = "BASE.safetensors", description = "Base transformer weights.")
    Path base;

    @Option(names = "--adapter", required = true, paramLabel = "A.safetensors", description = "Adapter file.")
    Path adapter;

    @Option(names = "--out", required = true, paramLabel = "MERGED.safetensors", description = "Merged weights to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
      int layers = BaseWeights.merge(existing(base, "--base"), existing(adapter, "--adapter"), out);
      PrintWriter w = spec.commandLine().getOut();
      w.println("wrote " + out + ": " + layers + " layers merged");
      w.flush();
      return 0;
    }
  }

  /** {@code urae adapter export}: the diffusers-loadable LoRA form. */
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = {"Export an adapter as diffusers LoRA safetensors (transformer.<module>.lora_A|lora_B.weight, scale folded into B).",
          "A minor-component adapter becomes a rank-2r LoRA for the original weights: A = [-a0; a], B = [b0, b]."})
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--adapter", required = true, paramLabel = "A.safetensors", description = "Adapter file (urae format).")
    Path adapter;

    @Option(names = "--format", defaultValue = "diffusers", paramLabel = "diffusers", description = "Output format (only ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", required = true, paramLabel = "LORA.safetensors", description = "File to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
      if (!format.equals("diffusers")) throw new ParameterException(spec.commandLine(), "--format must be diffusers, was " + format);
      int layers = BaseWeights.exportDiffusers(existing(adapter, "--adapter"), out);
      PrintWriter w = spec.commandLine().getOut();
      w.println("wrote " + out + ": " + layers + " layers in diffusers LoRA format");
      w.flush();
      return 0;
    }
  }
}
