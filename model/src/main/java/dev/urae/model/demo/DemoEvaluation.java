package dev.urae.model.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scores a model's renders of held-out scenes against the truth, so base and adapted models
 * can be compared in numbers. Scene i is rendered from the noise seed {@code seed + i}, the
 * same for every model compared.
 */
public final class DemoEvaluation {
  private DemoEvaluation() {}

  /** A named row of the comparison table. */
  public record Row(String name, int resolution, DemoScore score) {}

  /** The outcome of {@link #compare}: the table and the adaptation run behind it. */
  public record Comparison(List<Row> rows, dev.urae.model.train.TrainingResult training) {}

  /**
   * The standard demo comparison: the teacher's own images (the ceiling), the base model at its
   * native low resolution and at the high one, then the base adapted with {@code settings} at
   * the high one. Renders use the same noise seeds for base and adapted.
   */
  public static Comparison compare(DemoBaseModel base, DemoAdaptation.Settings settings, int images, dev.urae.model.svd.DecompositionCache cache,
      PrintStream progress) {
    List<SceneDescription> scenes = scenes(images);
    int low = DemoWorld.LOW_RESOLUTION;
    int high = DemoWorld.HIGH_RESOLUTION;
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("teacher (delta " + settings.teacherError() + ")", high, teacherScore(new DemoTeacher(settings.teacherError()), scenes, high)));
    progress.println("rendering base model at " + low + " and " + high);
    rows.add(new Row("base", low, score(base, scenes, low, 77)));
    rows.add(new Row("base", high, score(base, scenes, high, 77)));
    dev.urae.model.train.TrainingResult training;
    try (dev.urae.model.adapter.Adapter adapter = DemoAdaptation.attach(base, settings, cache)) {
      progress.println("adapting: " + adapter.spec() + ", " + adapter.parameterCount() + " trainable parameters");
      training = DemoAdaptation.train(base, adapter, settings, dev.urae.model.train.CheckpointStore.none(), new dev.urae.model.train.TrainingStop(), progress);
      progress.println("rendering adapted model at " + high);
      rows.add(new Row("adapted (" + settings.kind().label() + " r" + settings.rank() + ", " + training.step() + " steps)", high, score(base, scenes, high, 77)));
    }
    return new Comparison(rows, training);
  }

  /** {@code count} held-out scenes (never used for training). */
  public static List<SceneDescription> scenes(int count) {
    return PromptGrammar.standard().scenes(DemoWorld.EVAL_SEED, count);
  }

  /** Renders each scene's prompt with {@code model} at {@code resolution} and scores the renders. */
  public static DemoScore score(DemoBaseModel model, List<SceneDescription> scenes, int resolution, long seed) {
    List<DemoImage> renders = new ArrayList<>();
    for (int i = 0; i < scenes.size(); i++) renders.add(model.render(scenes.get(i).prompt(), resolution, seed + i));
    return DemoMetric.score(scenes, renders);
  }

  /** Scores the teacher's own images (δ = its error level) on the same scenes: the ceiling. */
  public static DemoScore teacherScore(DemoTeacher teacher, List<SceneDescription> scenes, int resolution) {
    List<DemoImage> images = new ArrayList<>();
    for (int i = 0; i < scenes.size(); i++) images.add(teacher.sample(scenes.get(i), resolution, i).image());
    return DemoMetric.score(scenes, images);
  }

  public static void printTable(PrintStream out, List<Row> rows) {
    out.printf(Locale.ROOT, "%-34s %6s %9s %13s %13s %8s %9s%n", "model", "res", "fidelity", "object colour", "backgr colour", "texture", "PSNR dB");
    for (Row r : rows) {
      DemoScore s = r.score();
      out.printf(Locale.ROOT, "%-34s %6d %9.3f %13.3f %13.3f %8.3f %9.2f%n", r.name(), r.resolution(), s.fidelity(), s.objectColourError(),
          s.backgroundColourError(), s.textureDetail(), s.psnr());
    }
  }
}
