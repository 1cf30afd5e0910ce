package dev.urae.batch.cli;

import ai.djl.ndarray.NDManager;
import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.demo.DemoAdaptation;
import dev.urae.model.demo.DemoBaseModel;
import dev.urae.model.demo.DemoDistiller;
import dev.urae.model.demo.DemoEvaluation;
import dev.urae.model.demo.DemoPretrainer;
import dev.urae.model.svd.FolderDecompositionCache;
import dev.urae.model.train.OptimizerKind;
import dev.urae.model.train.TrainingConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code urae demo pretrain|eval|study}: the demo world's base model, its base-vs-adapted table, and the guidelines study. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Pretrain the demo base model, adapt it and print the base-vs-adapted metric table, or run the guidelines study.",
    subcommands = {DemoCommand.Pretrain.class, DemoCommand.Eval.class, DemoStudyCommand.class})
public final class DemoCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required (see urae demo --help)");
  }

  /** {@code urae demo pretrain}. */
  @Command(name = "pretrain", mixinStandardHelpOptions = true,
      description = {"Pretrain the demo transformer and text encoder at 32x32 on the procedural renderer with caption dropout (fixed seed),",
          "refine its unconditional velocity (half the captions dropped), then distil the guidance-distilled student (guidance g in [1, 5]",
          "as an input, like FLUX.1-dev) that is the demo base model.",
          "Writes the student into DIR, the teacher into DIR/teacher and the teacher's first phase into DIR/teacher/phase1."})
  static final class Pretrain implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the two weight files (default: the demo cache, ~/.cache/urae/demo or $URAE_DEMO_CACHE).")
    Path out;

    @Option(names = "--steps", description = "Optimizer steps (default: the standard run's).")
    Integer steps;

    @Option(names = "--refine-steps", description = "Steps of the teacher's second phase, 0 for none (default: the standard run's).")
    Integer refineSteps;

    @Option(names = "--distill-steps", description = "Guidance-distillation steps (default: the standard run's).")
    Integer distillSteps;

    @Option(names = "--batch", description = "Batch size (default: the standard run's).")
    Integer batch;

    @Option(names = "--seed", description = "Seed (default: the standard run's).")
    Long seed;

    @Option(names = "--from-teacher", paramLabel = "DIR",
        description = "Skip pretraining: distil the student from the teacher an earlier run wrote (its OUT/teacher folder).")
    Path fromTeacher;

    @Option(names = "--from-first-phase", paramLabel = "DIR",
        description = "Skip the first phase: refine the first-phase teacher an earlier run wrote (its OUT/teacher/phase1 folder), then distil.")
    Path fromFirstPhase;

    @Mixin TorchThreads threads;

    @Override
    public Integer call() throws Exception {
      threads.apply(spec);
      DemoPretrainer.Settings s = DemoPretrainer.Settings.standard();
      DemoPretrainer.Settings settings;
      DemoPretrainer.Refinement refinement;
      DemoDistiller.Settings distillation;
      try {
        settings = s.withSteps(steps == null ? s.steps() : steps).withBatchSize(batch == null ? s.batchSize() : batch).withSeed(seed == null ? s.seed() : seed);
        DemoPretrainer.Refinement r = DemoPretrainer.Refinement.standard();
        refinement = refineSteps == null ? r : r.withSteps(refineSteps);
        DemoDistiller.Settings d = DemoDistiller.Settings.standard();
        distillation = distillSteps == null ? d : d.withSteps(distillSteps);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--steps, --refine-steps, --distill-steps, --batch: " + e.getMessage());
      }
      if (fromTeacher != null && fromFirstPhase != null) {
        throw new ParameterException(spec.commandLine(), "--from-teacher and --from-first-phase: give one (a teacher to distil, or a first phase to refine and distil)");
      }
      boolean firstPhaseSet = steps != null || batch != null || seed != null;
      if (fromTeacher != null && (firstPhaseSet || refineSteps != null)) {
        throw new ParameterException(spec.commandLine(),
            "--from-teacher distils an existing teacher: --steps, --refine-steps, --batch and --seed set pretraining, which it skips");
      }
      if (fromFirstPhase != null && firstPhaseSet) {
        throw new ParameterException(spec.commandLine(),
            "--from-first-phase continues from a pretrained teacher: --steps, --batch and --seed set its first phase, which it skips");
      }
      Path folder = out == null ? DemoBaseModel.defaultCacheFolder() : out;
      try (NDManager manager = NDManager.newBaseManager()) {
        DemoPretrainer.Result result;
        String from;
        if (fromTeacher != null) {
          result = DemoPretrainer.distillAndSave(fromTeacher, distillation, folder, manager, System.out);
          from = "teacher " + fromTeacher;
        } else if (fromFirstPhase != null) {
          result = DemoPretrainer.refineAndSave(fromFirstPhase, refinement, distillation, folder, manager, System.out);
          from = "first phase " + fromFirstPhase + ", " + refinement;
        } else {
          result = DemoPretrainer.pretrainAndSave(settings, refinement, distillation, folder, manager, System.out);
          from = settings + ", " + refinement;
        }
        System.out.printf(Locale.ROOT, "wrote %s and %s in %s after %.1f min (%s, %s)%n", DemoBaseModel.TRANSFORMER_FILE, DemoBaseModel.ENCODER_FILE,
            folder, result.minutes(), from, distillation);
        result.model().close();
      }
      return 0;
    }
  }

  /** {@code urae demo eval}. */
  @Command(name = "eval", mixinStandardHelpOptions = true,
      description = "Adapt the demo base model to 64x64 on teacher images and print base vs adapted against the known truth.")
  static final class Eval implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", description = "Base model folder (default: shipped weights, else the demo cache, else pretrain).")
    Path model;

    @Option(names = "--kind", defaultValue = "lora", description = "Adapter kind, lora or minor (default ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--rank", description = "Adapter rank (default: the standard run's).")
    Integer rank;

    @Option(names = "--steps", description = "Adaptation steps (default: the standard run's).")
    Integer steps;

    @Option(names = "--optimizer", description = "prodigy or adamw (default: the standard run's, adamw).")
    String optimizer;

    @Option(names = "--lr", description = "Learning rate (default: 1.0 for Prodigy, 1e-3 for AdamW).")
    Double lr;

    @Option(names = "--images", defaultValue = "4", description = "Held-out prompts to render and score (default ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--teacher-error", defaultValue = "0", description = "Teacher error level delta in [0, 1] (default ${DEFAULT-VALUE}).")
    double teacherError;

    @Override
    public Integer call() throws Exception {
      DemoAdaptation.Settings standard = DemoAdaptation.Settings.standard();
      DemoAdaptation.Settings settings;
      try {
        OptimizerKind opt = optimizer == null ? standard.training().optimizer() : OptimizerKind.parse(optimizer);
        TrainingConfig training = standard.training().toBuilder()
            .setSteps(steps == null ? standard.training().steps() : steps)
            .optOptimizer(opt)
            .optLearningRate(lr != null ? lr : opt.defaultLearningRate())
            .build();
        settings = new DemoAdaptation.Settings(AdapterKind.parse(kind), rank == null ? standard.rank() : rank, training, standard.scenes(), teacherError);
        if (images < 1) throw new IllegalArgumentException("--images must be positive, was " + images);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      if (model != null && !Files.isDirectory(model)) {
        throw new ParameterException(spec.commandLine(), "--model " + model + ": no such folder; give the folder urae demo pretrain --out wrote");
      }
      PrintStream out = System.out;
      try (NDManager manager = NDManager.newBaseManager();
          DemoBaseModel base = model != null ? DemoBaseModel.load(model, manager) : DemoBaseModel.loadDefault(DemoBaseModel.defaultCacheFolder(), manager, out)) {
        DemoEvaluation.Comparison comparison = DemoEvaluation.compare(base, settings, images, new FolderDecompositionCache(DemoBaseModel.defaultCacheFolder().resolve("svd")), out);
        out.println();
        DemoEvaluation.printTable(out, comparison.rows());
        var t = comparison.training();
        out.printf(Locale.ROOT, "%nadaptation: %d steps, loss %.4f (first 10) -> %.4f (last 10), %.3f steps/s, last step size %.3g%n", t.step(),
            t.meanLossOfFirst(10), t.meanLossOfLast(10), t.stepsPerSecond(), t.learningRates().get(t.learningRates().size() - 1));
      }
      return 0;
    }
  }
}
