package dev.urae.model.demo.study;

import ai.djl.ndarray.NDManager;
import dev.urae.model.adapter.Adapter;
import dev.urae.model.demo.DemoAdaptation;
import dev.urae.model.demo.DemoBaseModel;
import dev.urae.model.demo.DemoEvaluation;
import dev.urae.model.demo.DemoImage;
import dev.urae.model.demo.DemoMetric;
import dev.urae.model.demo.DemoPhotographer;
import dev.urae.model.demo.DemoTeacher;
import dev.urae.model.demo.DemoTrainingSet;
import dev.urae.model.demo.DemoWorld;
import dev.urae.model.demo.PromptGrammar;
import dev.urae.model.demo.SceneDescription;
import dev.urae.model.svd.DecompositionCache;
import dev.urae.model.train.AdapterTrainer;
import dev.urae.model.train.CheckpointStore;
import dev.urae.model.train.OptimizerKind;
import dev.urae.model.train.TrainingConfig;
import dev.urae.model.train.TrainingData;
import dev.urae.model.train.TrainingItem;
import dev.urae.model.train.TrainingResult;
import dev.urae.model.train.TrainingStop;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one {@link ArmSpec} through the pipeline's own parts: a fresh base model, an adapter
 * attached as {@link DemoAdaptation} attaches it, {@link AdapterTrainer} with AdamW, the demo
 * sampler and {@link DemoMetric} on held-out scenes. Renders of seed s use noise seeds
 * {@code 1000·s + i}, the same for every arm of that seed.
 */
public final class ArmRunner {
  /** Opens a fresh copy of the base model (minor components rewrite the base weights they adapt). */
  @FunctionalInterface
  public interface BaseModelSource {
    DemoBaseModel open(NDManager manager) throws IOException;
  }

  private final BaseModelSource source;
  private final BaseFacts facts;
  private final DecompositionCache decompositions;

  public ArmRunner(BaseModelSource source, BaseFacts facts, DecompositionCache decompositions) {
    this.source = source;
    this.facts = facts;
    this.decompositions = decompositions;
  }

  public ArmResult run(ArmSpec arm) throws IOException {
    long start = System.nanoTime();
    List<SceneDescription> scenes = DemoEvaluation.scenes(arm.evalImages());
    try (NDManager manager = NDManager.newBaseManager(); DemoBaseModel base = source.open(manager)) {
      if (!arm.adapted()) {
        Map<String, Double> target = score(base, arm, scenes, facts.targetResolution());
        Map<String, Double> nativeScores = score(base, arm, scenes, facts.nativeResolution());
        return new ArmResult(arm.id(), facts.weights(), 0, seconds(start), Double.NaN, List.of(new ArmResult.ScorePoint(0, target)), nativeScores);
      }
      TrainingConfig training = TrainingConfig.builder().setSteps(arm.steps()).optOptimizer(OptimizerKind.ADAMW).optLearningRate(arm.learningRate())
          .optGuidance(arm.trainGuidance()).optCheckpointEvery(arm.steps()).optSeed(arm.seed()).build();
      DemoAdaptation.Settings settings = new DemoAdaptation.Settings(arm.kind(), arm.rank(), training, arm.scenes(), arm.teacherError());
      List<ArmResult.ScorePoint> curve = new ArrayList<>();
      try (Adapter adapter = DemoAdaptation.attach(base, settings, decompositions)) {
        // Scores are taken between steps, with the adapter attached as training left it.
        TrainingResult result = new AdapterTrainer(training)
            .onStep(step -> {
              if (step % arm.evalEvery() == 0 || step == arm.steps()) curve.add(new ArmResult.ScorePoint((int) step, score(base, arm, scenes, facts.targetResolution())));
            })
            .train(base.transformer(), adapter, base.textEncoder(), data(arm), CheckpointStore.none(), new TrainingStop());
        Map<String, Double> retention = score(base, arm, scenes, facts.nativeResolution());
        return new ArmResult(arm.id(), facts.weights(), adapter.parameterCount(), seconds(start), result.meanLossOfLast(Math.max(1, arm.steps() / 5)), curve,
            retention);
      }
    }
  }

  /**
   * The arm's training set: {@code scenes} scenes of the adaptation stream; the first
   * {@code round(p·scenes)} drawn by the teacher at error level δ, the rest photographed. The
   * trainer samples items uniformly, so a share p of the steps sees synthetic images.
   */
  static TrainingData data(ArmSpec arm) {
    int synthetic = (int) Math.round(arm.syntheticShare() * arm.scenes());
    TrainingData teacher = new DemoTrainingSet(PromptGrammar.standard(), new DemoTeacher(arm.teacherError()), DemoWorld.ADAPT_SEED, arm.scenes(), DemoWorld.HIGH_RESOLUTION);
    TrainingData photos = new DemoTrainingSet(PromptGrammar.standard(), new DemoPhotographer(), DemoWorld.ADAPT_SEED, arm.scenes(), DemoWorld.HIGH_RESOLUTION);
    return new TrainingData() {
      @Override
      public int size() {
        return arm.scenes();
      }

      @Override
      public TrainingItem item(int index) {
        return index < synthetic ? teacher.item(index) : photos.item(index);
      }
    };
  }

  private static Map<String, Double> score(DemoBaseModel base, ArmSpec arm, List<SceneDescription> scenes, int resolution) {
    List<DemoImage> renders = new ArrayList<>();
    for (int i = 0; i < scenes.size(); i++) renders.add(base.render(scenes.get(i).prompt(), resolution, 1000 * arm.seed() + i, arm.evalGuidance()));
    return StudyMetric.all(DemoMetric.score(scenes, renders));
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
