package dev.urae.model.demo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.urae.model.train.TrainingData;
import dev.urae.model.train.TrainingItem;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Images of demo scenes as training data, in pixel space (the identity codec): item i is scene i
 * of the grammar's stream with {@code seed}, drawn by the source (the teacher, or photographs)
 * at {@code resolution}. Images are rendered on first use and kept.
 */
public final class DemoTrainingSet implements TrainingData {
  private final PromptGrammar grammar;
  private final SceneSource source;
  private final long seed;
  private final int size;
  private final int resolution;
  private final ConcurrentHashMap<Integer, TeacherSample> samples = new ConcurrentHashMap<>();

  public DemoTrainingSet(PromptGrammar grammar, SceneSource source, long seed, int size, int resolution) {
    if (size < 1) throw new IllegalArgumentException("size must be positive, was " + size);
    if (resolution < 2 || resolution % 2 != 0) throw new IllegalArgumentException("resolution must be even and at least 2, was " + resolution);
    this.grammar = grammar;
    this.source = source;
    this.seed = seed;
    this.size = size;
    this.resolution = resolution;
  }

  @Override
  public int size() {
    return size;
  }

  public TeacherSample sample(int index) {
    return samples.computeIfAbsent(index, i -> source.sample(grammar.scene(seed, i), resolution, seed * 31 + i));
  }

  @Override
  public TrainingItem item(int index) {
    TeacherSample sample = sample(index);
    return new TrainingItem() {
      @Override
      public String id() {
        return "demo-" + seed + "-" + index;
      }

      @Override
      public String prompt() {
        return sample.prompt();
      }

      @Override
      public String generatedPrompt() {
        return sample.generatedPrompt();
      }

      @Override
      public NDArray latents(NDManager manager) {
        return sample.image().toTensor(manager);
      }
    };
  }
}
