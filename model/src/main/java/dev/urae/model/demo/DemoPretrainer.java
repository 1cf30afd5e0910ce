package dev.urae.model.demo;

import ai.djl.ndarray.NDManager;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flow.SigmaSampler;
import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.model.train.FlowMatchingStep;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pretrains the demo base model from scratch at the low resolution on exact teacher images:
 * every weight (see {@link FullTraining}), flow matching with σ shifted towards high noise and
 * the guidance input at 1.0, both
 * caption kinds half the time, and caption dropout so that the model also learns the
 * unconditional velocity that classifier-free guidance and {@link DemoDistiller} need; then a
 * second phase ({@link Refinement}) that trains that unconditional velocity further.
 * Deterministic by seed.
 */
public final class DemoPretrainer {
  private DemoPretrainer() {}

  /** Pretraining settings. */
  public record Settings(int steps, int batchSize, double learningRate, int scenes, long seed, double captionDropout, double pooledDropout) {
    public Settings {
      if (steps < 1) throw new IllegalArgumentException("steps must be positive, was " + steps);
      if (batchSize < 1) throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
      if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be positive, was " + learningRate);
      if (scenes < 1) throw new IllegalArgumentException("scenes must be positive, was " + scenes);
      if (captionDropout < 0 || captionDropout >= 1) throw new IllegalArgumentException("captionDropout must be in [0, 1), was " + captionDropout);
      if (pooledDropout < 0 || pooledDropout >= 1) throw new IllegalArgumentException("pooledDropout must be in [0, 1), was " + pooledDropout);
    }

    /** The settings the shipped weights were made with. */
    public static Settings standard() {
      return new Settings(6000, 8, 2e-3, 4000, 7, 0.1, 0.5);
    }

    public Settings withSteps(int value) {
      return new Settings(value, batchSize, learningRate, scenes, seed, captionDropout, pooledDropout);
    }

    public Settings withBatchSize(int value) {
      return new Settings(steps, value, learningRate, scenes, seed, captionDropout, pooledDropout);
    }

    public Settings withSeed(long value) {
      return new Settings(steps, batchSize, learningRate, scenes, value, captionDropout, pooledDropout);
    }

    /** These settings as a saved model's record keeps them. */
    Map<String, String> record() {
      Map<String, String> record = new LinkedHashMap<>();
      record.put("steps", Integer.toString(steps));
      record.put("batch_size", Integer.toString(batchSize));
      record.put("learning_rate", Double.toString(learningRate));
      record.put("scenes", Integer.toString(scenes));
      record.put("seed", Long.toString(seed));
      record.put("caption_dropout", Double.toString(captionDropout));
      record.put("pooled_dropout", Double.toString(pooledDropout));
      return record;
    }

    /** The settings a saved model's {@link #record} holds; null when it lacks one of them. */
    static Settings fromRecord(Map<String, String> record) {
      if (!record.keySet().containsAll(standard().record().keySet())) return null;
      return new Settings(Integer.parseInt(record.get("steps")), Integer.parseInt(record.get("batch_size")), Double.parseDouble(record.get("learning_rate")),
          Integer.parseInt(record.get("scenes")), Long.parseLong(record.get("seed")), Double.parseDouble(record.get("caption_dropout")),
          Double.parseDouble(record.get("pooled_dropout")));
    }
  }

  /**
   * The teacher's second phase: more flow matching with half the captions dropped and the text
   * encoder frozen. Classifier-free guidance extrapolates away from the unconditional velocity,
   * so that velocity's errors grow g-fold in a guided sample; after the first phase (caption
   * dropout 0.1) it was the weak part (its samples were blobs) and guidance 3.5 pushed object
   * colours past the palette's. Pretraining scenes, batch, σ sampling and pooled dropout are the
   * first phase's.
   */
  public record Refinement(int steps, double learningRate, double captionDropout, long seed) {
    public Refinement {
      if (steps < 0) throw new IllegalArgumentException("refinement steps must be 0 or more, was " + steps);
      if (!(learningRate > 0)) throw new IllegalArgumentException("refinement learningRate must be positive, was " + learningRate);
      if (captionDropout < 0 || captionDropout >= 1) throw new IllegalArgumentException("refinement captionDropout must be in [0, 1), was " + captionDropout);
    }

    /** The settings the shipped teacher was made with. */
    public static Refinement standard() {
      return new Refinement(1500, 5e-4, 0.5, 50);
    }

    public Refinement withSteps(int value) {
      return new Refinement(value, learningRate, captionDropout, seed);
    }
  }

  /** Warm-up steps of the learning rate. */
  static final int WARMUP_STEPS = 100;
  /**
   * Training noise levels: shifted towards high σ, where the prompt decides the layout (with
   * uniform σ a run of this length learnt to denoise shapes but not to place them from the words).
   */
  static final SigmaSampler SIGMAS = SigmaSampler.shifted(3);
  /** Decay of the weights' moving average. */
  static final double EMA_DECAY = 0.995;

  /** The pretrained model and how it was made. */
  public record Result(DemoBaseModel model, List<Double> losses, double minutes, Map<String, String> metadata) {}

  /**
   * The whole recipe of the shipped base: pretrains a teacher with {@code settings} and saves it
   * into {@code folder/teacher/phase1} (the longest phase, which a crash after it must not lose:
   * {@link #refineAndSave} continues from there), then refines and distils as {@link
   * #refineAndSave} does; returns the student.
   */
  public static Result pretrainAndSave(Settings settings, Refinement refinement, DemoDistiller.Settings distillation, Path folder, NDManager parent,
      PrintStream progress) throws IOException {
    Result pretrained = pretrain(settings, parent, progress);
    Path firstPhase = folder.resolve(TEACHER_FOLDER).resolve(FIRST_PHASE_FOLDER);
    try (DemoBaseModel model = pretrained.model()) {
      model.save(firstPhase, pretrained.metadata());
    }
    // the refinement starts from the weights as saved (float16), so that continuing from the folder gives the same teacher
    Result rest = refineAndSave(firstPhase, refinement, distillation, folder, parent, progress);
    List<Double> losses = new ArrayList<>(pretrained.losses());
    losses.addAll(rest.losses());
    return new Result(rest.model(), losses, pretrained.minutes() + rest.minutes(), rest.metadata());
  }

  /**
   * Refines the first-phase teacher an earlier {@link #pretrainAndSave} wrote into {@code
   * firstPhaseFolder} with {@code refinement} (on the scenes, batch and pooled dropout its record
   * holds), saves it into {@code folder/teacher}, distils the guidance-distilled student from it
   * with {@code distillation} ({@link DemoDistiller}) and writes the student's two weight files
   * into {@code folder}, its record holding every phase's. The result's losses are the
   * refinement's and the distillation's, its minutes theirs.
   */
  public static Result refineAndSave(Path firstPhaseFolder, Refinement refinement, DemoDistiller.Settings distillation, Path folder, NDManager parent,
      PrintStream progress) throws IOException {
    Map<String, String> pretraining = savedRecord(firstPhaseFolder, "first-phase teacher", TEACHER_FOLDER + "/" + FIRST_PHASE_FOLDER);
    Settings settings = Settings.fromRecord(pretraining);
    if (settings == null) {
      throw new IOException("the first-phase teacher in " + firstPhaseFolder + " has no pretraining record (its settings " + Settings.standard().record().keySet()
          + "); give a folder urae demo pretrain wrote");
    }
    Result teacher = refine(new Result(DemoBaseModel.load(firstPhaseFolder, parent), List.of(), 0, pretraining), settings, refinement, progress);
    try (DemoBaseModel model = teacher.model()) {
      model.save(folder.resolve(TEACHER_FOLDER), teacher.metadata());
      Result student = distillAndSave(model, teacher.metadata(), distillation, folder, parent, progress);
      List<Double> losses = new ArrayList<>(teacher.losses());
      losses.addAll(student.losses());
      return new Result(student.model(), losses, teacher.minutes() + student.minutes(), student.metadata());
    }
  }

  /**
   * Distils a student from the teacher an earlier {@link #pretrainAndSave} wrote into {@code
   * teacherFolder} (its {@value #TEACHER_FOLDER} folder) and writes it into {@code folder} with the
   * teacher's pretraining record beside its own: the distillation alone, without pretraining
   * again. The result's losses and minutes are the distillation's.
   */
  public static Result distillAndSave(Path teacherFolder, DemoDistiller.Settings distillation, Path folder, NDManager parent, PrintStream progress)
      throws IOException {
    Map<String, String> pretraining = savedRecord(teacherFolder, "teacher", TEACHER_FOLDER);
    try (DemoBaseModel teacher = DemoBaseModel.load(teacherFolder, parent)) {
      return distillAndSave(teacher, pretraining, distillation, folder, parent, progress);
    }
  }

  /** The record of the model saved in {@code modelFolder}; refuses a folder without one, saying where {@code urae demo pretrain} writes one. */
  private static Map<String, String> savedRecord(Path modelFolder, String what, String whereInOut) throws IOException {
    List<String> missing = DemoBaseModel.missingFiles(modelFolder);
    if (!missing.isEmpty()) {
      throw new IOException("no demo " + what + " in " + modelFolder + ": " + String.join(", ", missing) + " missing (urae demo pretrain --out DIR writes one into DIR/"
          + whereInOut + ")");
    }
    try (SafeTensorsFile file = SafeTensorsFile.open(modelFolder.resolve(DemoBaseModel.TRANSFORMER_FILE))) {
      return file.metadata();
    }
  }

  /** Distils and saves the student with {@code pretraining}'s record before its own; the result's losses and minutes are the distillation's. */
  private static Result distillAndSave(DemoBaseModel teacher, Map<String, String> pretraining, DemoDistiller.Settings distillation, Path folder,
      NDManager parent, PrintStream progress) throws IOException {
    DemoDistiller.Result student = DemoDistiller.distill(teacher, distillation, parent, progress);
    Map<String, String> metadata = new LinkedHashMap<>(pretraining);
    metadata.putAll(student.metadata());
    student.student().save(folder, metadata);
    return new Result(student.student(), student.losses(), student.minutes(), metadata);
  }

  /** Where {@link #pretrainAndSave} puts the teacher, inside the output folder. */
  public static final String TEACHER_FOLDER = "teacher";
  /** Where {@link #pretrainAndSave} puts the teacher's first phase, inside the teacher's folder. */
  public static final String FIRST_PHASE_FOLDER = "phase1";

  public static Result pretrain(Settings settings, NDManager parent, PrintStream progress) {
    dev.urae.model.nn.Autograd.disableOnThisThread();
    long start = System.nanoTime();
    DemoBaseModel model = DemoBaseModel.initial(settings.seed(), parent);
    FlowMatchingStep pass = pass(model, settings, settings.captionDropout());
    List<Double> losses = train(model, pass, true, settings.learningRate(), settings.steps(), settings.seed(), "pretrain", start, progress);
    double minutes = (System.nanoTime() - start) / 6e10;
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("produced_by", "urae demo pretrain");
    metadata.putAll(settings.record());
    metadata.put("resolution", Integer.toString(DemoWorld.LOW_RESOLUTION));
    metadata.put("final_loss_mean_last_100", String.format(Locale.ROOT, "%.5f", meanOfLast(losses, 100)));
    metadata.put("minutes", String.format(Locale.ROOT, "%.1f", minutes));
    return new Result(model, losses, minutes, metadata);
  }

  /**
   * The teacher's second phase ({@link Refinement}) on {@code pretrained}'s model, in place;
   * returns it with both phases' losses, minutes and records. No steps: {@code pretrained} as it is.
   */
  public static Result refine(Result pretrained, Settings settings, Refinement refinement, PrintStream progress) {
    if (refinement.steps() == 0) return pretrained;
    dev.urae.model.nn.Autograd.disableOnThisThread();
    long start = System.nanoTime();
    DemoBaseModel model = pretrained.model();
    List<Double> losses = new ArrayList<>(pretrained.losses());
    List<Double> own = train(model, pass(model, settings, refinement.captionDropout()), false, refinement.learningRate(), refinement.steps(), refinement.seed(), "refine", start, progress);
    losses.addAll(own);
    double minutes = (System.nanoTime() - start) / 6e10;
    Map<String, String> metadata = new LinkedHashMap<>(pretrained.metadata());
    metadata.put("refine_steps", Integer.toString(refinement.steps()));
    metadata.put("refine_learning_rate", Double.toString(refinement.learningRate()));
    metadata.put("refine_caption_dropout", Double.toString(refinement.captionDropout()));
    metadata.put("refine_seed", Long.toString(refinement.seed()));
    metadata.put("refine_loss_mean_last_100", String.format(Locale.ROOT, "%.5f", meanOfLast(own, 100)));
    metadata.put("refine_minutes", String.format(Locale.ROOT, "%.1f", minutes));
    return new Result(model, losses, pretrained.minutes() + minutes, metadata);
  }

  /**
   * Flow matching on the pretraining scenes at the low resolution, with the guidance input at
   * 1.0, both caption kinds half the time, and {@code settings}' batch and pooled dropout.
   */
  private static FlowMatchingStep pass(DemoBaseModel model, Settings settings, double captionDropout) {
    DemoTrainingSet data = new DemoTrainingSet(PromptGrammar.standard(), DemoTeacher.exact(), DemoWorld.TRAIN_SEED, settings.scenes(), DemoWorld.LOW_RESOLUTION);
    return new FlowMatchingStep(model.transformer(), model.textEncoder(), data, settings.batchSize(), 0.5, 1.0, SIGMAS, Integer.MAX_VALUE, captionDropout,
        settings.pooledDropout());
  }

  /** {@code steps} steps of {@code pass} on every weight (the text encoder's too when asked), seeded; returns the losses. */
  private static List<Double> train(DemoBaseModel model, FlowMatchingStep pass, boolean trainEncoder, double learningRate, int steps, long seed, String label,
      long start, PrintStream progress) {
    SeededRandom dataRandom = SeededRandom.seeded(seed * 2 + 1);
    SeededRandom noiseRandom = SeededRandom.seeded(seed * 2 + 2);
    List<Double> losses = new ArrayList<>();
    try (FullTraining training = new FullTraining(model, trainEncoder, learningRate, WARMUP_STEPS, steps, EMA_DECAY)) {
      ProgressLine line = new ProgressLine(label, steps, start, progress);
      for (int step = 1; step <= steps; step++) {
        try (NDManager scope = model.transformer().manager().newSubManager()) {
          float loss = pass.run(scope, dataRandom, noiseRandom);
          training.step(scope);
          losses.add((double) loss);
          line.step(step, loss, training.learningRate());
        }
      }
      training.finish();
    }
    return losses;
  }

  static double meanOfLast(List<Double> values, int count) {
    return values.subList(Math.max(0, values.size() - count), values.size()).stream().mapToDouble(d -> d).average().orElse(Double.NaN);
  }

  /** Prints the mean loss about twenty times per run. */
  static final class ProgressLine {
    private final String label;
    private final int steps;
    private final long start;
    private final PrintStream out;
    private final int every;
    private double window;
    private int count;

    ProgressLine(String label, int steps, long start, PrintStream out) {
      this.label = label;
      this.steps = steps;
      this.start = start;
      this.out = out;
      this.every = Math.max(1, Math.min(50, steps / 20));
    }

    void step(int step, float loss, double learningRate) {
      window += loss;
      count++;
      if (step % every == 0 || step == steps) {
        out.printf(Locale.ROOT, "%s step %d/%d  loss %.4f  lr %.2e  (%.1f min)%n", label, step, steps, window / count, learningRate, (System.nanoTime() - start) / 6e10);
        window = 0;
        count = 0;
      }
    }
  }
}
