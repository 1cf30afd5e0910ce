package dev.urae.model.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.urae.model.tensors.SafeTensorsFile;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The teacher's second phase ({@link DemoPretrainer.Refinement}): its unconditional velocity trains on, its text encoder stays. */
class TeacherRefinementTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  private static final DemoPretrainer.Settings SMALL = new DemoPretrainer.Settings(2, 2, 2e-3, 4, 7, 0.1, 0.5);

  @Test
  void refinementTrainsTheTransformerKeepsTheTextEncoderAndRecordsBothPhases() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given a pretrained teacher and copies of its weights
      DemoBaseModel model = DemoBaseModel.initial(5, manager);
      DemoPretrainer.Result pretrained = new DemoPretrainer.Result(model, List.of(0.3, 0.2), 1.5, Map.of("steps", "6000"));
      Map<String, NDArray> encoderBefore = copies(model.textEncoder().parameters(), manager);
      Map<String, NDArray> transformerBefore = copies(model.transformer().parameters(), manager);

      // when two refinement steps run
      DemoPretrainer.Result refined = DemoPretrainer.refine(pretrained, SMALL, new DemoPretrainer.Refinement(2, 5e-4, 0.5, 50), QUIET);

      // then the same model trained on: the transformer moved, the text encoder did not
      assertThat(refined.model()).isSameAs(model);
      encoderBefore.forEach((name, before) -> assertThat(model.textEncoder().parameters().get(name).contentEquals(before)).as(name).isTrue());
      assertThat(transformerBefore.entrySet().stream().anyMatch(e -> !model.transformer().parameters().get(e.getKey()).contentEquals(e.getValue()))).isTrue();
      // and the record keeps the first phase's beside its own
      assertThat(refined.metadata()).containsEntry("steps", "6000").containsEntry("refine_steps", "2").containsEntry("refine_caption_dropout", "0.5");
      assertThat(refined.losses()).hasSize(4).startsWith(0.3, 0.2);
      assertThat(refined.minutes()).isGreaterThan(1.5);
    }
  }

  @Test
  void theWholeRecipeKeepsEachPhaseOnDiskAndTheStudentRecordsAllThree(@TempDir Path dir) throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      // when the whole recipe runs, two steps a phase
      DemoPretrainer.Result result = DemoPretrainer.pretrainAndSave(SMALL, new DemoPretrainer.Refinement(2, 5e-4, 0.5, 50),
          new DemoDistiller.Settings(2, 1, 5e-4, 2, 11), dir, manager, QUIET);
      result.model().close();

      // then the first phase, the refined teacher and the student are each on disk, all different
      Path teacher = dir.resolve(DemoPretrainer.TEACHER_FOLDER);
      Path firstPhase = teacher.resolve(DemoPretrainer.FIRST_PHASE_FOLDER);
      for (Path folder : List.of(dir, teacher, firstPhase)) assertThat(DemoBaseModel.missingFiles(folder)).as(folder.toString()).isEmpty();
      assertThat(java.util.Set.of(DemoBaseModel.weightsDigest(dir), DemoBaseModel.weightsDigest(teacher), DemoBaseModel.weightsDigest(firstPhase))).hasSize(3);
      // and the student's record holds all three phases
      try (SafeTensorsFile student = SafeTensorsFile.open(dir.resolve(DemoBaseModel.TRANSFORMER_FILE))) {
        assertThat(student.metadata()).containsEntry("steps", "2").containsEntry("refine_steps", "2").containsEntry("distill_steps", "2");
      }
    }
  }

  @Test
  void aSavedFirstPhaseContinuesToTheStudentTheWholeRecipeMakes(@TempDir Path dir) throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given the whole recipe's output, two steps a phase
      DemoPretrainer.Refinement refinement = new DemoPretrainer.Refinement(2, 5e-4, 0.5, 50);
      DemoDistiller.Settings distillation = new DemoDistiller.Settings(2, 1, 5e-4, 2, 11);
      Path whole = dir.resolve("whole");
      DemoPretrainer.pretrainAndSave(SMALL, refinement, distillation, whole, manager, QUIET).model().close();

      // when another run continues from its saved first phase (as after a crash in the refinement)
      Path firstPhase = whole.resolve(DemoPretrainer.TEACHER_FOLDER).resolve(DemoPretrainer.FIRST_PHASE_FOLDER);
      DemoPretrainer.Result continued = DemoPretrainer.refineAndSave(firstPhase, refinement, distillation, dir.resolve("continued"), manager, QUIET);

      continued.model().close();

      // then its student has the same weights as saved, and its record all three phases
      try (DemoBaseModel expected = DemoBaseModel.load(whole, manager); DemoBaseModel actual = DemoBaseModel.load(dir.resolve("continued"), manager)) {
        expected.transformer().parameters().forEach((name, array) ->
            assertThat(actual.transformer().parameters().get(name).contentEquals(array)).as(name).isTrue());
      }
      assertThat(continued.metadata()).containsEntry("steps", "2").containsEntry("refine_steps", "2").containsEntry("distill_steps", "2");
      assertThat(continued.losses()).hasSize(4);
    }
  }

  @Test
  void theRefinementRunsOnTheFirstPhasesOwnSettings(@TempDir Path dir) throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given the whole recipe's output, with first-phase settings other than the standard ones
      DemoPretrainer.Refinement refinement = new DemoPretrainer.Refinement(2, 5e-4, 0.5, 50);
      DemoPretrainer.pretrainAndSave(SMALL, refinement, new DemoDistiller.Settings(1, 1, 5e-4, 2, 11), dir, manager, QUIET).model().close();
      Path teacher = dir.resolve(DemoPretrainer.TEACHER_FOLDER);

      // when its saved first phase is refined by hand with those settings
      Path firstPhase = teacher.resolve(DemoPretrainer.FIRST_PHASE_FOLDER);
      DemoPretrainer.Result pretrained = new DemoPretrainer.Result(DemoBaseModel.load(firstPhase, manager), List.of(), 0, Map.of());
      try (DemoBaseModel byHand = DemoPretrainer.refine(pretrained, SMALL, refinement, QUIET).model()) {
        byHand.save(dir.resolve("by-hand"), Map.of());
      }

      // then the recipe's teacher is that one: it read its scenes, batch and pooled dropout from the first phase's record
      try (DemoBaseModel expected = DemoBaseModel.load(dir.resolve("by-hand"), manager); DemoBaseModel actual = DemoBaseModel.load(teacher, manager)) {
        expected.transformer().parameters().forEach((name, array) ->
            assertThat(actual.transformer().parameters().get(name).contentEquals(array)).as(name).isTrue());
      }
    }
  }

  @Test
  void aFolderWithoutAFirstPhaseIsRefusedSayingWhatWritesOne(@TempDir Path dir) {
    try (NDManager manager = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> DemoPretrainer.refineAndSave(dir, DemoPretrainer.Refinement.standard(), DemoDistiller.Settings.standard(),
          dir.resolve("out"), manager, QUIET))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("no demo first-phase teacher in " + dir)
          .hasMessageContaining("urae demo pretrain --out DIR writes one into DIR/teacher/phase1");
    }
  }

  @Test
  void noRefinementStepsLeaveThePretrainedTeacherAsItIs() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given a pretrained teacher
      DemoPretrainer.Result pretrained = new DemoPretrainer.Result(DemoBaseModel.initial(5, manager), List.of(0.3), 1.0, Map.of("steps", "6000"));

      // when the refinement has no steps
      DemoPretrainer.Result refined = DemoPretrainer.refine(pretrained, SMALL, DemoPretrainer.Refinement.standard().withSteps(0), QUIET);

      // then nothing ran and nothing was added to the record
      assertThat(refined).isSameAs(pretrained);
    }
  }

  @Test
  void refinementSettingsOutsideTheirRangeAreRefusedByName() {
    assertThatThrownBy(() -> DemoPretrainer.Refinement.standard().withSteps(-1)).hasMessageContaining("refinement steps must be 0 or more, was -1");
    assertThatThrownBy(() -> new DemoPretrainer.Refinement(10, 5e-4, 1.0, 50)).hasMessageContaining("refinement captionDropout must be in [0, 1), was 1.0");
    assertThatThrownBy(() -> new DemoPretrainer.Refinement(10, 0, 0.5, 50)).hasMessageContaining("refinement learningRate must be positive");
  }

  private static Map<String, NDArray> copies(Map<String, NDArray> parameters, NDManager manager) {
    Map<String, NDArray> copies = new LinkedHashMap<>();
    parameters.forEach((name, array) -> {
      NDArray copy = array.duplicate();
      copy.attach(manager);
      copies.put(name, copy);
    });
    return copies;
  }
}
