package dev.urae.model.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flux.Packing;
import dev.urae.model.train.FlowMatchingStep;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoDistillerTest {
  private static final int SIZE = 8;
  private static final String PROMPT = "a large red square at the top left on a white background";

  @Test
  void theGuidedTargetIsTheClassifierFreeCombinationOfTheTeachersTwoPasses() {
    try (NDManager manager = NDManager.newBaseManager(); DemoBaseModel teacher = DemoBaseModel.initial(5, manager)) {
      // given a noisy input and the teacher's conditional and unconditional velocities
      NDArray xt = SeededRandom.seeded(1).gaussian(manager, new Shape(1, (SIZE / 2) * (SIZE / 2), 12));
      NDArray sigma = manager.create(new float[] {0.6f});
      NDArray one = manager.create(new float[] {1f});
      NDList text = teacher.textEncoder().encodeBatch(List.of(PROMPT), manager);
      NDList empty = teacher.textEncoder().encodeBatch(List.of(FlowMatchingStep.UNCONDITIONAL), manager);
      float[] conditional = teacher.transformer().forward(xt, text.get(0), text.get(1), sigma, one, SIZE, SIZE).toFloatArray();
      float[] unconditional = teacher.transformer().forward(xt, empty.get(0), empty.get(1), sigma, one, SIZE, SIZE).toFloatArray();

      // when
      float[] guided = DemoDistiller.guidedVelocity(teacher, xt, text, sigma, manager.create(new float[] {3.5f}), SIZE, SIZE, manager).toFloatArray();

      // then
      float[] expected = new float[guided.length];
      for (int i = 0; i < expected.length; i++) expected[i] = unconditional[i] + 3.5f * (conditional[i] - unconditional[i]);
      assertThat(guided).containsExactly(expected, within(1e-4f));
      assertThat(maxDifference(guided, conditional)).isGreaterThan(1e-3f);
    }
  }

  @Test
  void theStudentLearnsToMatchTheGuidedTeacherAcrossGuidanceScales() {
    try (NDManager manager = NDManager.newBaseManager(); DemoBaseModel teacher = captionSensitive(DemoBaseModel.initial(5, manager));
        DemoBaseModel student = teacher.copy(manager)) {
      // given a teacher whose velocity depends clearly on the caption, a student that starts as
      // its copy (so at g > 1 it is off by (g − 1)·(v_cond − v_uncond)), and 8x8 images of one scene
      DemoTrainingSet data = new DemoTrainingSet(PromptGrammar.standard(), DemoTeacher.exact(), 5, 1, SIZE);
      double before2 = gap(teacher, student, data, 2f, manager);
      double before4 = gap(teacher, student, data, 4.5f, manager);

      // when it is distilled for 40 steps
      SeededRandom dataRandom = SeededRandom.seeded(1);
      SeededRandom noiseRandom = SeededRandom.seeded(2);
      try (FullTraining training = new FullTraining(student, false, 1e-3, 5, 40, 0)) {
        for (int step = 0; step < 40; step++) {
          try (NDManager scope = student.transformer().manager().newSubManager()) {
            DemoDistiller.step(teacher, student, data, 4, dataRandom, noiseRandom, scope);
            training.step(scope);
          }
        }
        training.finish();
      }

      // then its one pass at guidance g is much closer to the teacher's two-pass combination at g
      assertThat(gap(teacher, student, data, 2f, manager)).isLessThan(0.5 * before2);
      assertThat(gap(teacher, student, data, 4.5f, manager)).isLessThan(0.5 * before4);
    }
  }

  /** Scales the pooled-text path of a fresh model so that captions move its output as a trained model's do. */
  private static DemoBaseModel captionSensitive(DemoBaseModel model) {
    String name = "time_text_embed.text_embedder.linear_2.weight";
    NDArray weight = model.transformer().parameters().get(name);
    model.transformer().setParameter(name, weight.mul(8));
    return model;
  }

  /** Mean squared difference between the student at g and the teacher's guided velocity at g, on fixed inputs. */
  private static double gap(DemoBaseModel teacher, DemoBaseModel student, DemoTrainingSet data, float g, NDManager parent) {
    try (NDManager scope = parent.newSubManager()) {
      double sum = 0;
      for (int i = 0; i < data.size(); i++) {
        NDArray x0 = Packing.pack(data.item(i).latents(scope).expandDims(0));
        NDArray noise = SeededRandom.seeded(100 + i).gaussian(scope, x0.getShape());
        NDArray sigma = scope.create(new float[] {0.5f});
        NDArray xt = x0.mul(sigma.neg().add(1)).add(noise.mul(sigma));
        NDList text = teacher.textEncoder().encodeBatch(List.of(data.item(i).prompt()), scope);
        NDArray guidance = scope.create(new float[] {g});
        NDArray target = DemoDistiller.guidedVelocity(teacher, xt, text, sigma, guidance, SIZE, SIZE, scope);
        NDArray prediction = student.transformer().forward(xt, text.get(0), text.get(1), sigma, guidance, SIZE, SIZE);
        sum += prediction.sub(target).square().mean().getFloat();
      }
      return sum / data.size();
    }
  }

  private static float maxDifference(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
    return max;
  }
}
