package dev.urae.batch.cli;

import ai.djl.ndarray.NDManager;
import dev.urae.batch.report.StudyReport;
import dev.urae.model.demo.DemoBaseModel;
import dev.urae.model.demo.study.ArmRunner;
import dev.urae.model.demo.study.ArmStore;
import dev.urae.model.demo.study.BaseFacts;
import dev.urae.model.demo.study.Findings;
import dev.urae.model.demo.study.Study;
import dev.urae.model.demo.study.StudyPlan;
import dev.urae.model.demo.study.StudySettings;
import dev.urae.model.svd.FolderDecompositionCache;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code urae demo study}: the paper's guidelines reproduced with numbers on the demo world. */
@Command(name = "study", mixinStandardHelpOptions = true,
    description = {"Reproduce the paper's guidelines on the demo base model: Theorem 1's linear toy, synthetic vs real data, minor components vs LoRA, "
        + "guidance while adapting, adapted vs base; writes index.html and summary.json with means and 95% confidence intervals.",
        "Finished arms are kept under OUT/arms/: run the same command again to continue an interrupted study."})
final class DemoStudyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--quick", description = "The quick study (fewer steps, scenes, images and conditions; a few minutes on 2 cores) instead of the full one.")
  boolean quick;

  @Option(names = "--seeds", paramLabel = "N", description = "Seeds per condition (default 3).")
  Integer seeds;

  @Option(names = "--model", paramLabel = "DIR",
      description = "Base model folder with demo-transformer.safetensors and demo-text-encoder.safetensors, as urae demo pretrain --out writes "
          + "(default: the shipped base, else the demo cache, else pretrain one).")
  Path model;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "study", description = "Output folder (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--steps", paramLabel = "N", description = "Training steps per arm (default: the study's), scored as often as in the study's own budget.")
  Integer steps;

  @Option(names = "--images", paramLabel = "N", description = "Held-out prompts per score (default: the study's).")
  Integer images;

  @Mixin TorchThreads threads;

  @Override
  public Integer call() throws Exception {
    StudySettings settings = settings();
    if (model != null) {
      if (!Files.isDirectory(model)) throw new ParameterException(spec.commandLine(), "--model " + model + ": no such folder; give the folder urae demo pretrain --out wrote");
      List<String> missing = DemoBaseModel.missingFiles(model);
      if (!missing.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--model " + model + ": missing " + String.join(" and ", missing)
            + "; give the folder urae demo pretrain --out wrote (it holds " + DemoBaseModel.TRANSFORMER_FILE + " and " + DemoBaseModel.ENCODER_FILE + ")");
      }
    }
    PrintStream progress = System.out;
    threads.apply(spec);
    Path cache = DemoBaseModel.defaultCacheFolder();
    Study.Result result;
    try (NDManager manager = NDManager.newBaseManager(); DemoBaseModel base = model == null ? DemoBaseModel.loadDefault(cache, manager, progress) : DemoBaseModel.load(model, manager)) {
      // After loading: a default base pretrained on first use has weights to name only now.
      String weights = model == null ? DemoBaseModel.defaultWeightsDigest(cache) : DemoBaseModel.weightsDigest(model);
      BaseFacts facts = BaseFacts.of(base, weights);
      progress.printf(Locale.ROOT, "study %s: %d seed(s), %d steps per arm, %d scenes, %d held-out prompt(s); base %s, width %d, render guidance %s%s; results in %s%n",
          settings.name(), settings.seeds(), settings.steps(), settings.scenes(), settings.evalImages(), model == null ? "default" : model, facts.width(),
          facts.renderGuidance(), facts.guidanceDistilled() ? " (guidance-distilled)" : " (not guidance-distilled)", out.toAbsolutePath());
      // Every arm starts from its own copy of the weights loaded once (minor components rewrite the weights they adapt).
      ArmRunner runner = new ArmRunner(base::copy, facts, new FolderDecompositionCache(cache.resolve("svd")));
      result = new Study(new StudyPlan(settings, facts), runner, new ArmStore(out.resolve("arms")), progress).run();
    }
    Path page = StudyReport.write(result, command(), out);
    progress.println();
    for (Findings f : result.findings()) progress.printf(Locale.ROOT, "%-70s %s%n  %s%n", f.title(), f.verdict().label(), f.reason());
    progress.printf(Locale.ROOT, "%nwrote %s and %s in %.1f min%n", page, out.resolve(StudyReport.SUMMARY), result.seconds() / 60);
    return 0;
  }

  private StudySettings settings() {
    try {
      StudySettings s = quick ? StudySettings.quick() : StudySettings.full();
      if (seeds != null) s = s.withSeeds(seeds);
      if (steps != null || images != null) {
        int n = steps == null ? s.steps() : steps;
        if (n < 1) throw new IllegalArgumentException("--steps must be at least 1, was " + n);
        // The same number of scoring points as the study's own budget.
        s = s.withBudget(n, Math.max(1, n * s.evalEvery() / s.steps()), s.scenes(), images == null ? s.evalImages() : images);
      }
      return s;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** The command line that reproduces this study. */
  private String command() {
    StringBuilder c = new StringBuilder("urae demo study");
    if (quick) c.append(" --quick");
    if (model != null) c.append(" --model ").append(model);
    if (seeds != null) c.append(" --seeds ").append(seeds);
    if (steps != null) c.append(" --steps ").append(steps);
    if (images != null) c.append(" --images ").append(images);
    return c.toString();
  }
}
